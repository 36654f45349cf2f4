"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useSettings } from "@/lib/store/settings";
import { pendingCalls } from "@/lib/tools/results";
import type { ThinkpaneUIMessage } from "@/lib/types";
import type { ToolResult } from "./tool-calls";

/** Rounds Auto-submit mocks runs per message a person sends: a loop cannot spend without end. */
export const MAX_AUTO_ROUNDS = 8;

type Options = {
  messages: ThinkpaneUIMessage[];
  busy: boolean;
  addToolOutput: (result: { tool: string; toolCallId: string; output: string }) => Promise<void>;
  /** Continues the last answer (the AI SDK's sendMessage without a message). */
  continueAnswer: () => Promise<void>;
};

/**
 * The browser's half of a tool loop: results typed (or mocked) go into the answer's calls, and
 * the answer carries on. With Auto-submit mocks on, calls whose tools all hold a mock are
 * answered without asking, up to MAX_AUTO_ROUNDS per message sent; only loops started in this
 * tab run on their own (a conversation opened with calls waiting waits for a person).
 */
export function useToolLoop({ messages, busy, addToolOutput, continueAnswer }: Options) {
  const autoSubmit = useSettings((s) => s.autoSubmitMocks);
  const rounds = useRef(0);
  const armed = useRef(false);
  const [notice, setNotice] = useState<string>();

  const submitResults = useCallback(
    async (results: ToolResult[]) => {
      for (const r of results)
        await addToolOutput({ tool: r.toolName, toolCallId: r.toolCallId, output: r.output });
      await continueAnswer();
    },
    [addToolOutput, continueAnswer],
  );

  /** A person acted (sent, edited, regenerated, submitted results): the automatic count restarts. */
  const onUserAction = useCallback(() => {
    rounds.current = 0;
    armed.current = true;
    setNotice(undefined);
  }, []);

  const submitByHand = useCallback(
    (results: ToolResult[]) => {
      onUserAction();
      void submitResults(results);
    },
    [onUserAction, submitResults],
  );

  const last = messages.at(-1);
  useEffect(() => {
    if (busy || !autoSubmit || !armed.current || last?.role !== "assistant") return;
    const status = last.metadata?.status;
    if (status === "stopped" || status === "error") return;
    const waiting = pendingCalls(last.parts);
    if (waiting.length === 0) return;
    const tools = useSettings.getState().params.tools ?? [];
    const mocks = waiting.map((call) => tools.find((t) => t.name === call.toolName)?.mock);
    if (mocks.some((mock) => mock === undefined)) return;
    if (rounds.current >= MAX_AUTO_ROUNDS) {
      armed.current = false;
      setNotice(
        `Auto-submit stopped after ${MAX_AUTO_ROUNDS} rounds for this message: submit results to go on.`,
      );
      return;
    }
    rounds.current += 1;
    void submitResults(
      waiting.map((call, i) => ({
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output: mocks[i] ?? "",
      })),
    );
  }, [busy, autoSubmit, last, submitResults]);

  return { submitByHand, onUserAction, notice };
}
