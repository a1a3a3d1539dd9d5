import type { Kysely } from 'kysely';
import type { Ddl } from '../../platform/db/ddl.js';

/** Comments on vulnerabilities and links to external issues. */
export async function up(db: Kysely<unknown>, ddl: Ddl): Promise<void> {
  const { bigint } = ddl;

  // A deleted comment keeps its row (who, when, deleted by whom) so the history that mentions it still resolves;
  // only its body is wiped, since people delete comments that leaked something. The body is stored rendered too:
  // hostile Markdown can take a tenth of a second to render, and lists are read far more often than written.
  await ddl
    .id(db.schema.createTable('vulnerability_comments'))
    .addColumn('project_id', bigint, (c) => c.notNull())
    .addColumn('vulnerability_id', bigint, (c) => c.notNull().references('vulnerabilities.id').onDelete('cascade'))
    .addColumn('author_id', bigint)
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('body_html', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text')
    .execute();
  await db.schema.createIndex('vulnerability_comments_vuln').on('vulnerability_comments').columns(['vulnerability_id', 'id']).execute();

  await ddl
    .id(db.schema.createTable('issue_links'))
    .addColumn('project_id', bigint, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('created_by_id', bigint)
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('issue_links_url', ['project_id', 'url'])
    .execute();

  await db.schema
    .createTable('vulnerability_issue_links')
    .addColumn('vulnerability_id', bigint, (c) => c.notNull().references('vulnerabilities.id').onDelete('cascade'))
    .addColumn('issue_link_id', bigint, (c) => c.notNull().references('issue_links.id').onDelete('cascade'))
    .addColumn('created_by_id', bigint)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vulnerability_issue_links_pk', ['vulnerability_id', 'issue_link_id'])
    .execute();
  await db.schema.createIndex('vulnerability_issue_links_issue').on('vulnerability_issue_links').columns(['issue_link_id', 'vulnerability_id']).execute();
}
