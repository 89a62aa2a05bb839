// Putting the dashboard on the terminal: on stderr (stdout stays the command's result), at most 10 frames a
// second, and Ctrl+C left to orch's own signal handling instead of ink's.
// (Each .tsx names its JSX runtime: tsx reads the tsconfig of the cwd, and a user's repository has none.)
/** @jsxRuntime automatic */
import { render, type Instance } from 'ink';
import { Dashboard } from './dashboard.tsx';
import type { DashboardMode } from './footer.tsx';
import type { DashboardModel } from './model.ts';

export interface MountedDashboard {
  /** Draw the final frame (the model as it is now), then take the dashboard off; the frame stays on screen. */
  close(): Promise<void>;
}

export function mountDashboard(
  model: DashboardModel,
  options: { mode: DashboardMode; onLeave: () => void; onInterrupt: () => void; stream?: NodeJS.WriteStream; stdin?: NodeJS.ReadStream },
): MountedDashboard {
  const stream = options.stream ?? process.stderr;
  const node = (final: boolean) => <Dashboard model={model} mode={options.mode} onLeave={options.onLeave} onInterrupt={options.onInterrupt} final={final} />;
  const instance: Instance = render(node(false), {
    stdout: stream,
    stderr: stream,
    stdin: options.stdin ?? process.stdin,
    exitOnCtrlC: false,
    patchConsole: true,
    maxFps: 10,
    // Whether to draw at all was decided from the streams being terminals; CI variables must not undo it.
    interactive: true,
  });
  let closed: Promise<void> | undefined;
  return {
    close() {
      closed ??= (async () => {
        // The sampler has not seen the last events yet: render them now, so the final frame is the final state.
        instance.rerender(node(true));
        await instance.waitUntilRenderFlush();
        instance.unmount();
        await instance.waitUntilExit();
      })();
      return closed;
    },
  };
}
