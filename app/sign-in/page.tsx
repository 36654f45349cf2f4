import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeNextPath } from "@/lib/auth/gate";
import { readSession, signInRequired } from "@/lib/auth/owner";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Sign in · Thinkpane", robots: { index: false } };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const raw = (await searchParams).next;
  const next = safeNextPath(Array.isArray(raw) ? raw[0] : raw);
  if (!signInRequired() || (await readSession())) redirect(next);
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 p-6">
      <div>
        <h1 className="text-xl font-semibold">Sign in to Thinkpane</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          This server is private. Enter the access code you were given.
        </p>
      </div>
      <SignInForm next={next} />
    </main>
  );
}
