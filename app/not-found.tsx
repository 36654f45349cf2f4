import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-3 p-6 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-muted-foreground">
        There is nothing at this address, it has expired, or it is not yours.
      </p>
      <Link href="/" className="text-sm font-medium underline underline-offset-2">
        Open the playground
      </Link>
    </main>
  );
}
