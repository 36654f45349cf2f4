import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Playground } from "@/components/playground/playground";
import { readOwner, readSession } from "@/lib/auth/owner";
import { loadConversation } from "@/lib/chat/service";
import { shownPath } from "@/lib/conversations/versions";
import { publicModels } from "@/lib/upstream/registry";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

async function conversationFor(id: string) {
  const ownerId = await readOwner();
  // Someone else's conversation and a missing one look the same: 404.
  return ownerId ? loadConversation({ id, ownerId }) : undefined;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const conversation = await conversationFor((await params).id);
  return {
    title: conversation ? `${conversation.title} · Thinkpane` : "Not found · Thinkpane",
    robots: { index: false },
  };
}

export default async function ConversationPage({ params }: Props) {
  const { id } = await params;
  const conversation = await conversationFor(id);
  if (!conversation) notFound();
  const { models, defaultModel } = publicModels();
  const user = (await readSession())?.user;
  const { messages, versions } = shownPath(conversation);
  return (
    <Playground
      key={conversation.id}
      user={user}
      models={models}
      defaultModel={defaultModel}
      conversation={{
        id: conversation.id,
        messages,
        versions,
        settings: conversation.settings,
        streaming: conversation.messages.some((m) => m.status === "streaming"),
      }}
    />
  );
}
