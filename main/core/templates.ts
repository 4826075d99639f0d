/**
 * Function templates shipped in resources/templates: index.json lists
 * `{id, name, description, file}` and each file is a handler.js starting point.
 */
import * as path from 'node:path';
import { FnStudioError } from '../contract/errors';
import type { TemplateInfo } from '../contract/function';
import type { TemplatesService } from '../contract/api';
import { isPlainObject } from '../contract/checks';
import { readJsonFile, readTextFile } from './json-file';

export interface TemplateSource extends TemplatesService {
  get(id: string): Promise<TemplateInfo>;
}

export function createTemplates(templatesDir: string): TemplateSource {
  async function list(): Promise<TemplateInfo[]> {
    const indexFile = path.join(templatesDir, 'index.json');
    const index = await readJsonFile(indexFile);
    if (!Array.isArray(index)) throw new FnStudioError('Internal', `${indexFile}: must be an array of templates`);
    return Promise.all(
      index.map(async (entry: unknown, i: number) => {
        if (!isPlainObject(entry) || ![entry.id, entry.name, entry.description, entry.file].every((v) => typeof v === 'string')) {
          throw new FnStudioError('Internal', `${indexFile}: entry ${i} needs string fields id, name, description and file`);
        }
        const file = entry.file as string;
        if (path.basename(file) !== file) throw new FnStudioError('Internal', `${indexFile}: entry ${i} file must be a plain file name`);
        const code = await readTextFile(path.join(templatesDir, file));
        return { id: entry.id as string, name: entry.name as string, description: entry.description as string, code };
      }),
    );
  }
  return {
    list,
    async get(id) {
      const found = (await list()).find((t) => t.id === id);
      if (!found) throw new FnStudioError('NotFound', `No template with id "${id}"`);
      return found;
    },
  };
}
