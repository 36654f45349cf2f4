import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Streamed answers must not be buffered by compression on the way out.
  compress: false,
};

export default nextConfig;
