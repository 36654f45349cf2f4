import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { NONCE_HEADER } from "@/lib/security/csp";
import "./globals.css";

export const metadata: Metadata = {
  title: "Thinkpane",
  description:
    "A playground for reasoning models: the answer and the model's reasoning side by side.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0b0b0f" },
  ],
};

// Applies the saved or system colour scheme before first paint (no flash of the wrong theme).
const themeScript = `(function(){try{var t=localStorage.getItem("thinkpane.theme");var d=t==="dark"||((!t||t==="system")&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);}catch(e){}})();`;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The proxy's per-request nonce; the CSP blocks inline scripts without it. Reading request
  // headers also makes every page render per request, which a nonce requires.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
