import type { Customer } from "../customers/customer.js";
import defaultTemplates from "./default-templates.json";

export interface Template {
  content: string;
  /** Camel case as Frontline reads it: only approved templates show when a WhatsApp session is closed. */
  whatsAppApproved?: boolean;
}

export interface TemplateCategory {
  display_name: string;
  templates: Template[];
}

/** What a template may mention; Frontline shows `content` verbatim, so every placeholder is filled here. */
const PLACEHOLDERS = {
  Name: (customer: Customer) => customer.display_name,
  FirstName: (customer: Customer) => customer.display_name.trim().split(/\s+/)[0] ?? customer.display_name,
  /** The worker's display name (Frontline's Users API), not their login: customers read it. */
  Author: (_customer: Customer, author: string) => author,
  CustomerId: (customer: Customer) => customer.customer_id,
} satisfies Record<string, (customer: Customer, author: string) => string>;

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
/** Anything between double braces: what Frontline would show a customer verbatim if left unfilled. */
const ANY_BRACES = /\{\{(.*?)\}\}/g;

export class TemplateFileError extends Error {}

/**
 * Validates a template set: a bad file fails at start-up with the place to fix, never at the
 * moment a worker opens the picker.
 */
export function parseTemplates(data: unknown, source = "templates"): TemplateCategory[] {
  if (!Array.isArray(data)) throw new TemplateFileError(`${source}: expected a JSON array of categories`);
  return data.map((category: unknown, i) => {
    const where = `${source}[${i}]`;
    if (typeof category !== "object" || category === null) throw new TemplateFileError(`${where}: expected an object`);
    const { display_name, templates } = category as Record<string, unknown>;
    if (typeof display_name !== "string" || !display_name)
      throw new TemplateFileError(`${where}.display_name: expected a non-empty string`);
    if (!Array.isArray(templates)) throw new TemplateFileError(`${where}.templates: expected an array`);
    return {
      display_name,
      templates: templates.map((template: unknown, j) => {
        const at = `${where}.templates[${j}]`;
        const { content, whatsAppApproved } = (template ?? {}) as Record<string, unknown>;
        if (typeof content !== "string" || !content)
          throw new TemplateFileError(`${at}.content: expected a non-empty string`);
        for (const [, inner] of content.matchAll(ANY_BRACES)) {
          const name = inner!.trim();
          if (!Object.hasOwn(PLACEHOLDERS, name)) {
            throw new TemplateFileError(
              `${at}.content: unknown placeholder {{${name}}}; known: ${Object.keys(PLACEHOLDERS).join(", ")}`,
            );
          }
        }
        if (whatsAppApproved !== undefined && typeof whatsAppApproved !== "boolean") {
          throw new TemplateFileError(`${at}.whatsAppApproved: expected true or false`);
        }
        return whatsAppApproved === undefined ? { content } : { content, whatsAppApproved };
      }),
    };
  });
}

export const DEFAULT_TEMPLATES: readonly TemplateCategory[] = parseTemplates(
  defaultTemplates,
  "default-templates.json",
);

/** `author` is the name that `{{Author}}` becomes: the writing worker's display name. */
export function renderTemplates(
  categories: readonly TemplateCategory[],
  customer: Customer,
  author: string,
): TemplateCategory[] {
  const fill = (content: string) =>
    content.replace(PLACEHOLDER, (_match, name: string) =>
      PLACEHOLDERS[name as keyof typeof PLACEHOLDERS](customer, author),
    );
  return categories.map((category) => ({
    display_name: category.display_name,
    templates: category.templates.map((template) => ({ ...template, content: fill(template.content) })),
  }));
}
