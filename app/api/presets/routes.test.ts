import { PEER_HEADER } from "@/lib/auth/client-address";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ErrorPayload } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import { PRESETS_EXPORT_FORMAT, type PublicPreset } from "@/lib/presets/schema";
import { TestBrowser } from "@/lib/testing/browser";
import { uniqueId } from "@/lib/testing/db";
import { configureEnv } from "@/lib/testing/env";
import { idContext, jsonRequest, testUrl, routeTestDatabase } from "@/lib/testing/routes";
import { POST as SIGN_IN } from "../auth/sign-in/route";
import { DELETE, GET as GET_ONE, PATCH, PUT } from "./[id]/route";
import { GET as EXPORT } from "./export/route";
import { POST as IMPORT } from "./import/route";
import { GET as LIST, POST as CREATE } from "./route";

// Route handlers read the owner cookie with next/headers' cookies(); each test browser has a jar.
vi.mock("next/headers", () => import("@/lib/testing/browser"));

const SETTINGS: Settings = {
  model: "openai/gpt-oss-20b",
  system: "Answer in one word.",
  params: { temperature: 0.2, reasoning_effort: "low" },
};

const { baseEnv } = routeTestDatabase("presets");
/** The owner of what a test sets up. */
let alice: TestBrowser;
/** Someone else. */
let bob: TestBrowser;

beforeEach(() => {
  alice = new TestBrowser();
  bob = new TestBrowser();
});

const url = testUrl;

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function errorOf(response: Response): Promise<ErrorPayload> {
  return (await json<{ error: ErrorPayload }>(response)).error;
}

async function create(browser: TestBrowser, name: string, settings: Settings = SETTINGS) {
  const response = await browser.run(() =>
    CREATE(jsonRequest("/api/presets", "POST", { name, settings })),
  );
  expect(response.status).toBe(201);
  return (await json<{ preset: PublicPreset }>(response)).preset;
}

async function list(browser: TestBrowser): Promise<PublicPreset[]> {
  const response = await browser.run(() => LIST(new Request(url("/api/presets"))));
  expect(response.status).toBe(200);
  return (await json<{ presets: PublicPreset[] }>(response)).presets;
}

async function getOne(browser: TestBrowser, id: string) {
  return browser.run(() => GET_ONE(new Request(url(`/api/presets/${id}`)), idContext(id)));
}

async function update(browser: TestBrowser, id: string, settings: unknown) {
  return browser.run(() =>
    PUT(jsonRequest(`/api/presets/${id}`, "PUT", { settings }), idContext(id)),
  );
}

async function importFile(browser: TestBrowser, body: unknown) {
  return browser.run(() => IMPORT(jsonRequest("/api/presets/import", "POST", body)));
}

describe("create and list", () => {
  it("saves a preset at version 1 and lists it for its owner only", async () => {
    const preset = await create(alice, "Terse");
    expect(preset).toMatchObject({ name: "Terse", version: 1, settings: SETTINGS });
    expect((await list(alice)).map((p) => p.id)).toEqual([preset.id]);
    // Bob has no owner cookie yet: an empty list, not Alice's.
    expect(await list(bob)).toEqual([]);
    await create(bob, "Bob's");
    expect((await list(bob)).map((p) => p.name)).toEqual(["Bob's"]);
  });

  it("refuses a name the owner already uses with 409, and lets someone else use it", async () => {
    await create(alice, "Same");
    const again = await alice.run(() =>
      CREATE(jsonRequest("/api/presets", "POST", { name: "Same", settings: SETTINGS })),
    );
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("conflict:name_taken");
    await create(bob, "Same");
  });

  it.each([
    [{ name: "", settings: SETTINGS }, "name"],
    [
      { name: "x", settings: { ...SETTINGS, params: { temperature: 9 } } },
      "settings.params.temperature",
    ],
    [{ name: "x", settings: { ...SETTINGS, params: { warmth: 1 } } }, "settings.params.warmth"],
    [{ name: "x" }, "settings"],
    [{ name: "x", settings: SETTINGS, extra: 1 }, "extra"],
  ])("answers bad input with 400 naming the field (%#)", async (body, field) => {
    const response = await alice.run(() => CREATE(jsonRequest("/api/presets", "POST", body)));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("bad_request:invalid_body");
    expect(error.details?.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it("refuses a model this server does not have", async () => {
    const response = await alice.run(() =>
      CREATE(
        jsonRequest("/api/presets", "POST", {
          name: "x",
          settings: { ...SETTINGS, model: "acme/unknown" },
        }),
      ),
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).details?.field).toBe("settings.model");
  });
});

describe("versions", () => {
  it("saving changes adds a version; earlier versions stay as they were", async () => {
    const preset = await create(alice, uniqueId("v"));
    const changed = { ...SETTINGS, params: { ...SETTINGS.params, temperature: 0.9 } };
    const response = await update(alice, preset.id, changed);
    expect(response.status).toBe(200);
    expect((await json<{ preset: PublicPreset }>(response)).preset).toMatchObject({
      version: 2,
      settings: changed,
    });
    // The same settings again add nothing.
    const same = await update(alice, preset.id, changed);
    expect((await json<{ preset: PublicPreset }>(same)).preset.version).toBe(2);

    const detail = await json<{
      preset: PublicPreset;
      versions: { version: number; settings: Settings }[];
    }>(await getOne(alice, preset.id));
    expect(detail.preset.version).toBe(2);
    expect(detail.versions.map((v) => [v.version, v.settings])).toEqual([
      [1, SETTINGS],
      [2, changed],
    ]);
  });

  it("rename keeps the versions", async () => {
    const preset = await create(alice, uniqueId("r"));
    const response = await alice.run(() =>
      PATCH(
        jsonRequest(`/api/presets/${preset.id}`, "PATCH", { name: "Renamed" }),
        idContext(preset.id),
      ),
    );
    expect(response.status).toBe(200);
    const detail = await json<{ preset: PublicPreset; versions: unknown[] }>(
      await getOne(alice, preset.id),
    );
    expect(detail.preset).toMatchObject({ name: "Renamed", version: 1 });
    expect(detail.versions).toHaveLength(1);
  });
});

describe("someone else's preset is not found", () => {
  it("for read, update, rename and delete, and stays unchanged", async () => {
    const preset = await create(alice, uniqueId("mine"));
    await create(bob, uniqueId("bob")); // Bob has an owner of his own.
    const calls: [string, () => Promise<Response>][] = [
      ["get", () => getOne(bob, preset.id)],
      ["update", () => update(bob, preset.id, { ...SETTINGS, system: "hijacked" })],
      [
        "rename",
        () =>
          bob.run(() =>
            PATCH(
              jsonRequest(`/api/presets/${preset.id}`, "PATCH", { name: "hijacked" }),
              idContext(preset.id),
            ),
          ),
      ],
      [
        "delete",
        () =>
          bob.run(() =>
            DELETE(
              new Request(url(`/api/presets/${preset.id}`), { method: "DELETE" }),
              idContext(preset.id),
            ),
          ),
      ],
    ];
    for (const [what, call] of calls) {
      const response = await call();
      expect(response.status, what).toBe(404);
      expect((await errorOf(response)).code, what).toBe("not_found");
    }
    // A browser with no owner at all gets the same 404.
    expect((await getOne(new TestBrowser(), preset.id)).status).toBe(404);
    const [mine] = (await list(alice)).filter((p) => p.id === preset.id);
    expect(mine).toMatchObject({ name: preset.name, version: 1, settings: SETTINGS });
  });

  it("delete removes the owner's preset; a second delete is 404", async () => {
    const preset = await create(alice, uniqueId("gone"));
    const remove = () =>
      alice.run(() =>
        DELETE(
          new Request(url(`/api/presets/${preset.id}`), { method: "DELETE" }),
          idContext(preset.id),
        ),
      );
    expect((await remove()).status).toBe(204);
    expect((await list(alice)).some((p) => p.id === preset.id)).toBe(false);
    expect((await remove()).status).toBe(404);
    expect((await getOne(alice, preset.id)).status).toBe(404);
  });
});

describe("export and import", () => {
  it("exports the owner's presets as a file that import takes back, numbering clashing names", async () => {
    const carol = new TestBrowser();
    await create(carol, "One");
    await create(carol, "Two", { model: "openai/gpt-oss-120b", params: {} });
    const exported = await carol.run(() => EXPORT(new Request(url("/api/presets/export"))));
    expect(exported.headers.get("content-disposition")).toContain("attachment");
    const file = await json<{ format: string; presets: { name: string }[] }>(exported);
    expect(file.format).toBe(PRESETS_EXPORT_FORMAT);
    expect(file.presets.map((p) => p.name)).toEqual(["One", "Two"]);

    const response = await importFile(carol, file);
    expect(response.status).toBe(201);
    expect((await list(carol)).map((p) => [p.name, p.version])).toEqual([
      ["One", 1],
      ["One (2)", 1],
      ["Two", 1],
      ["Two (2)", 1],
    ]);
    // Another owner's import is theirs alone.
    const dave = new TestBrowser();
    expect((await importFile(dave, file)).status).toBe(201);
    expect((await list(dave)).map((p) => p.name)).toEqual(["One", "Two"]);
  });

  const good = { name: "Good", settings: SETTINGS };
  it.each([
    [{ format: "other", version: 1, presets: [good] }, "format"],
    [{ format: PRESETS_EXPORT_FORMAT, version: 2, presets: [good] }, "version"],
    [{ format: PRESETS_EXPORT_FORMAT, version: 1, presets: [] }, "presets"],
    [
      {
        format: PRESETS_EXPORT_FORMAT,
        version: 1,
        presets: [good, { name: "Bad", settings: { ...SETTINGS, params: { top_p: 5 } } }],
      },
      "presets.1.settings.params.top_p",
    ],
    [{ format: PRESETS_EXPORT_FORMAT, version: 1, presets: [good, good] }, "presets.1.name"],
    [
      {
        format: PRESETS_EXPORT_FORMAT,
        version: 1,
        presets: [good, { name: "M", settings: { ...SETTINGS, model: "acme/none" } }],
      },
      "presets.1.settings.model",
    ],
  ])(
    "refuses a bad file with 400 naming the problem and changes nothing (%#)",
    async (body, field) => {
      const erin = new TestBrowser();
      await create(erin, "Before");
      const response = await importFile(erin, body);
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.details?.field).toBe(field);
      expect(error.message).toContain(field);
      expect((await list(erin)).map((p) => p.name)).toEqual(["Before"]);
    },
  );

  it("refuses a file that is not JSON", async () => {
    const response = await importFile(alice, "{not json");
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe("bad_request:invalid_body");
  });
});

describe("with ACCESS_CODES", () => {
  const codes = "alice:alice-code-123,bob:bob-code-4567";

  async function signIn(browser: TestBrowser, code: string) {
    const response = await browser.run(() =>
      SIGN_IN(
        new Request(url("/api/auth/sign-in"), {
          method: "POST",
          headers: { "content-type": "application/json", [PEER_HEADER]: uniqueId("ip") },
          body: JSON.stringify({ code }),
        }),
      ),
    );
    expect(response.status).toBe(200);
  }

  it("presets belong to the signed-in user, on every browser they sign in from", async () => {
    configureEnv({ ...baseEnv(), ACCESS_CODES: codes, SESSION_SECRET: "s".repeat(40) });
    const anonymous = await alice.run(() =>
      CREATE(jsonRequest("/api/presets", "POST", { name: "x", settings: SETTINGS })),
    );
    expect(anonymous.status).toBe(401);

    await signIn(alice, "alice-code-123");
    const preset = await create(alice, uniqueId("team"));
    const laptop = new TestBrowser();
    await signIn(laptop, "alice-code-123");
    expect((await list(laptop)).map((p) => p.id)).toEqual([preset.id]);
    expect((await getOne(laptop, preset.id)).status).toBe(200);

    await signIn(bob, "bob-code-4567");
    expect(await list(bob)).toEqual([]);
    expect((await getOne(bob, preset.id)).status).toBe(404);
  });
});
