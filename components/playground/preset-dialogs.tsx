"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import { ThinkpaneError } from "@/lib/errors";
import type { Settings } from "@/lib/params";
import { PRESET_NAME_MAX, type PublicPreset } from "@/lib/presets/schema";
import { presetActions } from "@/lib/store/preset-actions";
import { usePresets } from "@/lib/store/presets";
import { useSettings } from "@/lib/store/settings";

export type PresetDialog = "save" | "rename" | "delete" | "transfer";

type Props = { dialog: PresetDialog; settings: Settings; onClose: () => void };

function applied(preset: PublicPreset) {
  const { id, name, version, settings } = preset;
  useSettings.getState().applyPreset({ id, name, version, settings });
}

function messageOf(error: unknown): string {
  return ThinkpaneError.is(error) || error instanceof Error ? error.message : String(error);
}

/** Save as, rename, delete (confirmed), import and export: opened from the Preset section. */
export function PresetDialogs({ dialog, settings, onClose }: Props) {
  const current = useSettings((s) => s.preset);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
      onClose();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const alert = error ? (
    <p role="alert" className="text-sm text-destructive">
      {error}
    </p>
  ) : null;

  let content: React.ReactNode;
  if (dialog === "save" || dialog === "rename") {
    const rename = dialog === "rename";
    content = (
      <DialogContent
        title={rename ? "Rename preset" : "Save as preset"}
        description={
          rename
            ? "Turns sent with it keep the name they recorded."
            : "Saves the model, system prompt and parameters in use as a new preset."
        }
      >
        <NameForm
          initial={rename ? (current?.name ?? "") : ""}
          submitLabel={rename ? "Rename" : "Save"}
          busy={busy}
          alert={alert}
          onSubmit={(name) =>
            run(async () => {
              const store = presetActions;
              if (!rename) return applied(await store.create(name, settings));
              if (!current) return;
              await store.rename(current.id, name);
              useSettings.getState().applyPreset({ ...current, name });
            })
          }
        />
      </DialogContent>
    );
  } else if (dialog === "delete") {
    content = (
      <DialogContent
        title="Delete preset?"
        description={`“${current?.name ?? ""}” and all its versions will be deleted. Turns sent with it keep what they recorded. This cannot be undone.`}
      >
        {alert}
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            variant="destructive"
            disabled={busy || !current}
            onClick={() =>
              void run(async () => {
                if (!current) return;
                await presetActions.remove(current.id);
                useSettings.getState().applyPreset(undefined);
              })
            }
          >
            Delete
          </Button>
        </div>
      </DialogContent>
    );
  } else {
    content = <TransferContent />;
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      {content}
    </Dialog>
  );
}

function NameForm({
  initial,
  submitLabel,
  busy,
  alert,
  onSubmit,
}: {
  initial: string;
  submitLabel: string;
  busy: boolean;
  alert: React.ReactNode;
  onSubmit: (name: string) => Promise<void>;
}) {
  const inputId = useId();
  const [name, setName] = useState(initial);
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit(name.trim());
      }}
    >
      <label htmlFor={inputId} className="text-sm font-medium">
        Preset name
      </label>
      <input
        id={inputId}
        value={name}
        maxLength={PRESET_NAME_MAX}
        required
        autoFocus
        onChange={(e) => setName(e.target.value)}
        className="w-full rounded-md border border-input bg-background px-2 py-1.5 text-sm"
      />
      {alert}
      <div className="flex justify-end gap-2">
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="primary" disabled={busy || name.trim() === ""}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}

/** Export as a JSON file; import one back (checked whole on the server: a bad file adds nothing). */
function TransferContent() {
  const fileId = useId();
  const [status, setStatus] = useState<{ error?: string; done?: string }>({});

  const importFile = async (file: File) => {
    try {
      const response = await fetch("/api/presets/import", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: await file.text(),
      });
      if (!response.ok) throw ThinkpaneError.fromText(await response.text());
      const { presets } = (await response.json()) as { presets: PublicPreset[] };
      await usePresets.getState().refresh();
      setStatus({ done: `Imported ${presets.length} preset${presets.length === 1 ? "" : "s"}.` });
    } catch (e) {
      setStatus({ error: `Nothing was imported. ${messageOf(e)}` });
    }
  };

  return (
    <DialogContent
      title="Import or export presets"
      description="The file holds each preset's name and newest settings; imported presets start at version 1."
    >
      <Button asChild variant="outline">
        <a href="/api/presets/export" download>
          Export presets
        </a>
      </Button>
      <div className="flex flex-col gap-1.5">
        <label htmlFor={fileId} className="text-sm font-medium">
          Import presets from a file
        </label>
        <input
          id={fileId}
          type="file"
          accept="application/json,.json"
          className="text-sm"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void importFile(file);
          }}
        />
      </div>
      {status.error ? (
        <p role="alert" className="text-sm text-destructive">
          {status.error}
        </p>
      ) : null}
      {status.done ? (
        <p role="status" className="text-sm">
          {status.done}
        </p>
      ) : null}
    </DialogContent>
  );
}
