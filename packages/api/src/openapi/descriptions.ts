// Human-readable descriptions for the OpenAPI documents (what `kubectl explain` prints). The text
// is our own, kept as data in data/descriptions/: one file per API package, keyed by message name
// and JSON field name. Anything not written there gets a generated description, so every schema
// and property in the documents has one.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { FieldSchema, MessageSchema } from '../schema/types.ts';

const DATA_DIR = fileURLToPath(new URL('../../data/descriptions/', import.meta.url));

/** One data file: `{"package": "k8s.io.api.core.v1", "messages": {"Pod": {"description", "fields"}}}`. */
export interface DescriptionFile {
  readonly package: string;
  readonly messages: Readonly<Record<string, { readonly description?: string; readonly fields?: Readonly<Record<string, string>> }>>;
}

/** Texts shared by every kind: the TypeMeta fields and the usual metadata/spec/status/items. */
export interface CommonDescriptions {
  readonly apiVersion: string;
  readonly kind: string;
  readonly objectMetadata: string;
  readonly listMetadata: string;
  /** templates: {kind} is replaced by the owning kind's name, {item} by a list's item kind */
  readonly spec: string;
  readonly status: string;
  readonly listItems: string;
  readonly listKind: string;
}

export class Descriptions {
  private readonly messages = new Map<string, string>();
  private readonly fields = new Map<string, string>();

  constructor(
    files: readonly DescriptionFile[],
    readonly common: CommonDescriptions,
  ) {
    for (const file of files) {
      for (const [name, entry] of Object.entries(file.messages)) {
        const fullName = `${file.package}.${name}`;
        if (entry.description) this.messages.set(fullName, entry.description);
        for (const [json, text] of Object.entries(entry.fields ?? {})) this.fields.set(`${fullName}#${json}`, text);
      }
    }
  }

  /** The written description of a message, if there is one. */
  writtenMessage(fullName: string): string | undefined {
    return this.messages.get(fullName);
  }

  /** The written description of a field of a message, if there is one. */
  writtenField(ownerFullName: string, json: string): string | undefined {
    return this.fields.get(`${ownerFullName}#${json}`);
  }

  /** Description of a message; list kinds and unwritten messages get a generated one. */
  message(message: MessageSchema): string {
    const written = this.messages.get(message.fullName);
    if (written) return written;
    const item = listItemKind(message);
    if (item) return fill(this.common.listKind, message.name, item);
    return `${humanize(message.name)}.`;
  }

  /**
   * Description of a property. `owner` is the message that declares the field (for properties
   * flattened from an inline member, the inlined message); `kind` is the object it appears in.
   */
  field(owner: MessageSchema, field: FieldSchema, kind: MessageSchema): string {
    const json = field.json!;
    const written = this.fields.get(`${owner.fullName}#${json}`);
    if (written) return written;
    if (json === 'metadata' && field.type.endsWith('.ObjectMeta')) return this.common.objectMetadata;
    if (json === 'metadata' && field.type.endsWith('.ListMeta')) return this.common.listMetadata;
    const item = listItemKind(kind);
    if (json === 'items' && item) return fill(this.common.listItems, kind.name, item);
    if (kind.typeMeta && json === 'spec') return fill(this.common.spec, kind.name);
    if (kind.typeMeta && json === 'status') return fill(this.common.status, kind.name);
    return `${humanize(json)}.`;
  }
}

/** "FooList" with an "items" field → "Foo"; anything else → undefined. */
function listItemKind(message: MessageSchema): string | undefined {
  if (!message.typeMeta || !message.name.endsWith('List') || !message.properties.has('items')) return undefined;
  return message.name.slice(0, -'List'.length);
}

function fill(template: string, kind: string, item = ''): string {
  return template.replaceAll('{kind}', kind).replaceAll('{item}', item);
}

/** "terminationGracePeriodSeconds" → "Termination grace period seconds"; "podIPs" → "Pod IPs". */
export function humanize(name: string): string {
  // Acronyms (with an optional plural s) stay whole; other words are lower-cased after the first.
  const words = name.match(/[A-Z]{2,}s?(?=[A-Z]|$)|[A-Z]?[a-z0-9]+|[A-Z]/g) ?? [name];
  const sentence = words.map((w, i) => (i === 0 || /^[A-Z]{2,}/.test(w) ? w : w.toLowerCase())).join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function loadFromDisk(): Descriptions {
  const files: DescriptionFile[] = [];
  let common: CommonDescriptions | undefined;
  for (const file of readdirSync(DATA_DIR).sort()) {
    if (!file.endsWith('.json')) continue;
    const data = JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8'));
    if (file === 'common.json') common = data as CommonDescriptions;
    else files.push(data as DescriptionFile);
  }
  if (!common) throw new Error(`descriptions: ${DATA_DIR}common.json is missing`);
  return new Descriptions(files, common);
}

/** The process-wide descriptions (immutable data, loaded once). */
export const descriptions: Descriptions = loadFromDisk();
