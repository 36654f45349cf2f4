/** Shiki, as the highlight worker (highlight.worker.ts) runs it. */
import {
  bundledLanguages,
  bundledLanguagesInfo,
  createHighlighter,
  type BundledLanguage,
  type Highlighter,
} from "shiki";
import { createJavaScriptRegexEngine } from "shiki/engine/javascript";
import type { HighlightRequest } from "./highlight-protocol";

const aliases = new Map(
  bundledLanguagesInfo.flatMap((info) => (info.aliases ?? []).map((a) => [a, info.id] as const)),
);

/** A fence's info word as Shiki knows it ("py" is "python"), or "text" when Shiki has none. */
function resolveLanguage(language: string): BundledLanguage | "text" {
  const name = language.trim().toLowerCase();
  const id = aliases.get(name) ?? name;
  return Object.hasOwn(bundledLanguages, id) ? (id as BundledLanguage) : "text";
}

// Forgiving: a grammar pattern the engine cannot translate matches nothing instead of throwing.
const engine = createJavaScriptRegexEngine({ forgiving: true });
const highlighters = new Map<string, Promise<Highlighter>>();

function highlighterFor(themes: [string, string]): Promise<Highlighter> {
  const key = themes.join("\n");
  let highlighter = highlighters.get(key);
  if (!highlighter) {
    highlighter = createHighlighter({ themes, langs: [], engine });
    highlighters.set(key, highlighter);
  }
  return highlighter;
}

/** Shiki's tokens for one code block, in both themes (as Streamdown renders them). */
export async function highlight({ code, language, themes }: HighlightRequest) {
  const highlighter = await highlighterFor(themes);
  let lang = resolveLanguage(language);
  if (lang !== "text" && !highlighter.getLoadedLanguages().includes(lang)) {
    try {
      await highlighter.loadLanguage(lang);
    } catch {
      lang = "text";
    }
  }
  // The grammar state holds the tokenizer's stack: it is not needed on the page.
  const { tokens, fg, bg, themeName, rootStyle } = highlighter.codeToTokens(code, {
    lang,
    themes: { light: themes[0], dark: themes[1] },
  });
  return { tokens, fg, bg, themeName, rootStyle };
}
