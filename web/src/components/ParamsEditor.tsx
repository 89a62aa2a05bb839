// The chosen strategy's parameters, one field each, built from its JSON Schema (see param-fields.ts).
import type { ParamField } from './param-fields.ts';

interface ParamsEditorProps {
  strategy: string;
  fields: readonly ParamField[];
  values: Readonly<Record<string, string>>;
  onChange: (name: string, value: string) => void;
}

export function ParamsEditor({ strategy, fields, values, onChange }: ParamsEditorProps) {
  if (fields.length === 0) return null;
  return (
    <fieldset className="params" data-testid="params">
      <legend>{strategy} parameters</legend>
      {fields.map((field) => {
        const name = `param.${field.name}`;
        const value = values[field.name] ?? '';
        const set = (next: string) => onChange(field.name, next);
        return (
          <label key={field.name}>
            <span>{field.name}</span>
            {field.kind === 'choice' ? (
              <select name={name} value={value} onChange={(e) => set(e.target.value)}>
                <option value="">{field.defaultText ? `${field.defaultText} (default)` : '(default)'}</option>
                {field.choices.map((choice) => (
                  <option key={choice} value={choice}>
                    {choice}
                  </option>
                ))}
              </select>
            ) : field.kind === 'boolean' ? (
              <select name={name} value={value} onChange={(e) => set(e.target.value)}>
                <option value="">{field.defaultText ? `${field.defaultText} (default)` : '(default)'}</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            ) : (
              <input
                name={name}
                type={field.kind === 'text' ? 'text' : 'number'}
                step={field.kind === 'integer' ? 1 : 'any'}
                min={field.min}
                max={field.max}
                placeholder={field.defaultText ? `${field.defaultText} (default)` : 'default'}
                value={value}
                onChange={(e) => set(e.target.value)}
              />
            )}
            {field.help && <small>{field.help}</small>}
          </label>
        );
      })}
    </fieldset>
  );
}
