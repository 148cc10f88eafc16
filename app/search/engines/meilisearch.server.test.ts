import { describe, it } from "vitest";
import { describeEngineContract } from "./engine-contract";
import { MeilisearchEngine } from "./meilisearch.server";

const url = process.env.MEILI_URL;
const masterKey = process.env.MEILI_MASTER_KEY;

if (url) {
  // Against a real Meilisearch server only; a mock would prove nothing about the adapter.
  const indexUid = `helprank_contract_${process.pid}`;
  let engine: MeilisearchEngine;
  describeEngineContract(
    `meilisearch (${url})`,
    async () => {
      engine = new MeilisearchEngine({ url, indexUid, adminKey: masterKey });
      await engine.init();
      return engine;
    },
    async () => {
      await engine?.deleteIndex();
    },
  );
} else {
  describe("SearchEngine contract: meilisearch", () => {
    it.skip("skipped: MEILI_URL is not set (set MEILI_URL and MEILI_MASTER_KEY to run it against a real server)", () => {});
  });
}
