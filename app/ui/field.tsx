import { getInputProps, type FieldMetadata } from "@conform-to/react";

/** A labelled input with its errors beside it (Conform field metadata). */
export function Field({
  label,
  field,
  type = "text",
  autoComplete,
  hint,
}: {
  label: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any field of any form schema
  field: FieldMetadata<any, any, string[]>;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  hint?: string;
}) {
  return (
    <div>
      <label htmlFor={field.id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        {...getInputProps(field, { type })}
        key={field.key}
        autoComplete={autoComplete}
        className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid]:border-red-500"
      />
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function FieldErrors({ id, errors }: { id?: string; errors?: string[] }) {
  return (
    <div id={id} className="min-h-[1rem] text-sm text-red-700" aria-live="polite">
      {errors?.length ? errors.join(" ") : null}
    </div>
  );
}

export const buttonClass = "rounded-md bg-indigo-600 px-4 py-2 font-medium text-white shadow-sm hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400";
