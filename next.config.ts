import type { NextConfig } from "next";
import { staticSecurityHeaders } from "./lib/security/headers";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // A self-contained server: `npm start` runs it (scripts/start.mjs), and so does the Dockerfile.
  output: "standalone",
  // Migrations are read from disk at start, so they must travel with the standalone server.
  // So must the script that creates a new PGlite database in a child process (lib/db/client.ts).
  outputFileTracingIncludes: {
    "/*": ["./lib/db/migrations/**/*", "./lib/db/pglite-init.mjs"],
  },
  // gzip for pages and scripts: `npm start` has no reverse proxy in front of it. Streamed
  // answers opt out with Cache-Control: no-transform (lib/chat/sse.ts), so that compression
  // never holds a chunk back.
  compress: true,
  // PGlite loads its WASM and data files from beside its own module; bundling breaks that.
  // drizzle-orm stays external too, so that lib/db/pglite-init.mjs finds its migrator in the
  // standalone server's node_modules.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "drizzle-orm"],
  async headers() {
    return [
      // The Content-Security-Policy carries a per-request nonce, so proxy.ts sets it.
      { source: "/:path*", headers: staticSecurityHeaders },
      {
        // Shared snapshots: never indexed, and the token in the URL never leaks through a Referer.
        // Listed after the rule for every path, so that its Referrer-Policy wins.
        source: "/s/:token*",
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Robots-Tag", value: "noindex, nofollow" },
        ],
      },
    ];
  },
};

export default nextConfig;
