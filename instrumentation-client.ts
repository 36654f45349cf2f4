import { makeZodJitless } from "@/lib/zod-jitless";

// Runs in the browser before the app hydrates, before any zod schema parses.
makeZodJitless();
