import { Playground } from "@/components/playground/playground";
import { publicModels } from "@/lib/upstream/registry";

// Models and key readiness come from the server's environment at request time.
export const dynamic = "force-dynamic";

export default function Home() {
  const { models, defaultModel } = publicModels();
  return <Playground models={models} defaultModel={defaultModel} />;
}
