import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Streamed answers must not be buffered by compression on the way out.
  compress: false,
  // PGlite loads its WASM and data files from beside its own module; bundling breaks that.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  async headers() {
    return [
      {
        // Shared snapshots: never indexed, and the token in the URL never leaks through a Referer.
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
