import type { Config } from "tailwindcss";

/**
 * Loaded by app/globals.css through `@config`. Colours are CSS variables (see globals.css) so
 * that dark mode is one class on <html>; the names follow shadcn/ui, which Streamdown's own
 * components use too.
 */
const color = (name: string) => `var(--${name})`;

const config: Config = {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        background: color("background"),
        foreground: color("foreground"),
        muted: { DEFAULT: color("muted"), foreground: color("muted-foreground") },
        border: color("border"),
        input: color("input"),
        ring: color("ring"),
        primary: { DEFAULT: color("primary"), foreground: color("primary-foreground") },
        accent: { DEFAULT: color("accent"), foreground: color("accent-foreground") },
        destructive: { DEFAULT: color("destructive"), foreground: color("destructive-foreground") },
        warning: { DEFAULT: color("warning"), foreground: color("warning-foreground") },
        card: color("card"),
        sidebar: color("sidebar"),
        reasoning: color("reasoning"),
      },
      fontFamily: {
        sans: ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
      },
    },
  },
};

export default config;
