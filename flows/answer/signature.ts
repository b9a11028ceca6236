import type { Db } from '../../db/client.js';
import { findPerson } from '../../db/repositories/directory.js';
import type { Org } from '../../db/schema.js';
import type { Copy } from '../copy/index.js';
import { orgName } from '../inquiry/view.js';

/**
 * Who signs an answer or a decline, so that a reporter can quote them: the person's name and
 * position from the directory (`persons.title`), else their role at the agency. Loaded once,
 * written in each reader's language.
 */
export async function signatureOf(db: Db, personId: number | null | undefined, org: Org | undefined): Promise<(t: Copy) => string> {
  const person = personId ? await findPerson(db, personId) : undefined;
  return (t) => {
    const agency = orgName(org, t);
    if (!person) return `— ${agency}`;
    const title = t.locale === 'en' ? person.title_en ?? person.title : person.title;
    return t.answer.signature({ name: person.full_name, title, org: agency });
  };
}
