/**
 * Starting points for the JSON schema editor. Each is strict-ready: every property required and
 * no additional properties, which providers that enforce `strict: true` demand.
 */
export type SchemaTemplate = { id: string; label: string; name: string; schema: object };

const closed = (properties: Record<string, object>) => ({
  type: "object",
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

export const schemaTemplates: SchemaTemplate[] = [
  {
    id: "extraction",
    label: "Extraction: invoice fields",
    name: "invoice",
    schema: closed({
      invoice_number: { type: "string" },
      issue_date: { type: "string", description: "ISO 8601 date, e.g. 2026-03-31" },
      vendor: { type: "string" },
      currency: { type: "string", description: "ISO 4217 code, e.g. EUR" },
      total: { type: "number" },
    }),
  },
  {
    id: "classification",
    label: "Classification: support ticket",
    name: "ticket_triage",
    schema: closed({
      category: { type: "string", enum: ["billing", "bug", "feature_request", "account", "other"] },
      priority: { type: "string", enum: ["low", "normal", "high", "urgent"] },
      confidence: { type: "number", minimum: 0, maximum: 1 },
    }),
  },
  {
    id: "nested-list",
    label: "Nested list: project plan",
    name: "project_plan",
    schema: closed({
      title: { type: "string" },
      milestones: {
        type: "array",
        items: closed({
          name: { type: "string" },
          tasks: {
            type: "array",
            items: closed({ task: { type: "string" }, days: { type: "integer", minimum: 1 } }),
          },
        }),
      },
    }),
  },
];

export const formatSchemaText = (schema: unknown) => JSON.stringify(schema, null, 2);
