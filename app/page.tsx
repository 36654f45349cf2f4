import { Playground } from "@/components/playground/playground";
import { readSession } from "@/lib/auth/owner";
import { publicModels } from "@/lib/upstream/registry";

// Models and key readiness come from the server's environment at request time.
export const dynamic = "force-dynamic";

export default async function Home() {
  const { models, defaultModel } = publicModels();
  const user = (await readSession())?.user;
  return <Playground models={models} defaultModel={defaultModel} user={user} />;
}
