// The one small interface every backlog source implements: read items from where the user keeps them. A source
// only reads; orch never edits the user's files (a change to them goes through a cycle the refinery merges).
import type { BacklogTaskType } from '../../domain/backlog.ts';

export interface BacklogItem {
  /** Stable across reads of the same item, so a re-import finds it instead of adding it again. */
  sourceId: string;
  title: string;
  description: string;
  type: BacklogTaskType;
  priority: number;
}

export interface BacklogSource {
  readonly name: string;
  /** The items open now; `projectRoot` is the project's directory. */
  read(projectRoot: string): Promise<BacklogItem[]>;
  /**
   * For a source whose items can leave (an issue closed or unlabelled): why the item `sourceId`, imported before and
   * missing from the last read, left, or null when it is back. Sources without it keep what they imported.
   */
  whyGone?(sourceId: string): Promise<string | null>;
}
