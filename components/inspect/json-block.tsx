import { CopyButton } from "@/components/playground/copy-button";

/** Pretty JSON (or text) in a named region, with a Copy button. */
export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return (
    <section aria-label={label} className="flex min-h-0 flex-col rounded-md border">
      <header className="flex items-center gap-2 border-b px-2 py-1">
        <h4 className="text-xs font-semibold">{label}</h4>
        <span className="ml-auto">
          <CopyButton text={text} label={`Copy ${label.toLowerCase()}`} />
        </span>
      </header>
      <pre className="max-h-[60dvh] overflow-auto p-2 text-xs leading-relaxed">
        <code>{text}</code>
      </pre>
    </section>
  );
}
