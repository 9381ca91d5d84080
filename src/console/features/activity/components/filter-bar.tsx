/** Filters that live in the URL: selects apply at once, text fields on Enter or when focus leaves them. */
import { fieldClass, labelClass } from '../../../components/ui/button';

export type FilterField =
  | { key: string; label: string; kind: 'select'; options: readonly { value: string; label: string }[] }
  | { key: string; label: string; kind: 'text'; placeholder?: string };

export function FilterBar({
  fields,
  values,
  onChange,
}: {
  fields: readonly FilterField[];
  values: Record<string, string>;
  onChange: (key: string, value: string) => void;
}) {
  return (
    <form
      role="search"
      aria-label="Filters"
      className="mb-3 grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-7"
      onSubmit={(event) => {
        event.preventDefault();
      }}
    >
      {fields.map((field) => {
        const id = `filter-${field.key}`;
        const value = values[field.key] ?? '';
        return (
          <div key={field.key}>
            <label htmlFor={id} className={labelClass}>
              {field.label}
            </label>
            {field.kind === 'select' ? (
              <select
                id={id}
                className={fieldClass}
                value={value}
                onChange={(e) => {
                  onChange(field.key, e.target.value);
                }}
              >
                <option value="">any</option>
                {field.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                // A new URL value re-creates the field, so back/forward and shared links fill it in.
                key={value}
                id={id}
                type="search"
                className={fieldClass}
                defaultValue={value}
                placeholder={field.placeholder ?? 'any'}
                onBlur={(e) => {
                  if (e.target.value.trim() !== value) onChange(field.key, e.target.value.trim());
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') onChange(field.key, e.currentTarget.value.trim());
                }}
              />
            )}
          </div>
        );
      })}
    </form>
  );
}
