import type { Generated } from 'kysely';

export interface NotificationEventsTable {
  id: Generated<number>;
  kind: string;
  project_id: number;
  payload_json: string;
  created_at: string;
  dispatched_at: string | null;
}

export interface NotifyTables {
  notification_events: NotificationEventsTable;
}
