// Events, in both API groups. events.k8s.io/v1 is a second view of the same stored events, and
// Kubernetes prints it with the core printer, so both shapes are read into one form first.
import type { KubeObject } from '../object.ts';
import { column, nameColumn, wideColumn } from './columns.ts';
import { since } from './duration.ts';
import type { ResourcePrinter, TableColumn, TableRowCells } from './types.ts';

interface ObjectReference {
  kind?: string;
  name?: string;
  fieldPath?: string;
}

interface EventSeries {
  count?: number;
  lastObservedTime?: string;
}

/** The fields the printer reads, named as in core/v1. */
interface EventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  involvedObject: ObjectReference;
  source: { component?: string; host?: string };
  reportingController: string;
  reportingInstance: string;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  count: number;
  series?: EventSeries | null;
}

interface CoreEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  involvedObject?: ObjectReference;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  count?: number;
  series?: EventSeries | null;
}

interface EventsV1Event extends KubeObject {
  type?: string;
  reason?: string;
  note?: string;
  regarding?: ObjectReference;
  deprecatedSource?: { component?: string; host?: string };
  reportingController?: string;
  reportingInstance?: string;
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  eventTime?: string | null;
  deprecatedCount?: number;
  series?: EventSeries | null;
}

const fromCore = (event: CoreEvent): EventView => ({
  name: event.metadata.name ?? '',
  type: event.type ?? '',
  reason: event.reason ?? '',
  message: event.message ?? '',
  involvedObject: event.involvedObject ?? {},
  source: event.source ?? {},
  // core/v1 spells the reporting controller "reportingComponent".
  reportingController: event.reportingComponent ?? '',
  reportingInstance: event.reportingInstance ?? '',
  firstTimestamp: event.firstTimestamp,
  lastTimestamp: event.lastTimestamp,
  eventTime: event.eventTime,
  count: event.count ?? 0,
  series: event.series,
});

const fromEventsV1 = (event: EventsV1Event): EventView => ({
  name: event.metadata.name ?? '',
  type: event.type ?? '',
  reason: event.reason ?? '',
  message: event.note ?? '',
  involvedObject: event.regarding ?? {},
  source: event.deprecatedSource ?? {},
  reportingController: event.reportingController ?? '',
  reportingInstance: event.reportingInstance ?? '',
  firstTimestamp: event.deprecatedFirstTimestamp,
  lastTimestamp: event.deprecatedLastTimestamp,
  eventTime: event.eventTime,
  count: event.deprecatedCount ?? 0,
  series: event.series,
});

const eventColumns: readonly TableColumn[] = [
  column('Last Seen', 'string', 'How long ago the event last happened.'),
  column('Type', 'string', 'Normal or Warning.'),
  column('Reason', 'string', 'Short machine-readable cause.'),
  column('Object', 'string', 'The object the event is about, as kind/name.'),
  wideColumn('Subobject', 'string', 'Part of the object the event is about, e.g. a container.'),
  wideColumn('Source', 'string', 'Component (and host) that reported the event.'),
  column('Message', 'string', 'What happened, for humans.'),
  wideColumn('First Seen', 'string', 'How long ago the event first happened.'),
  wideColumn('Count', 'string', 'How many times the event happened.'),
  { ...nameColumn, priority: 1 },
];

function eventRow(event: EventView, now: Date): TableRowCells {
  const firstSeen = event.firstTimestamp ? since(event.firstTimestamp, now) : since(event.eventTime, now);
  let lastSeen = event.lastTimestamp ? since(event.lastTimestamp, now) : firstSeen;
  let count = event.count;
  if (event.series) {
    lastSeen = since(event.series.lastObservedTime, now);
    count = event.series.count ?? 0;
  } else if (count === 0) {
    // Events written through events.k8s.io without a series happened once.
    count = 1;
  }
  const { kind = '', name = '', fieldPath = '' } = event.involvedObject;
  const target = name ? `${kind.toLowerCase()}/${name}` : kind.toLowerCase();
  const component = event.source.component || event.reportingController;
  const host = event.source.host || event.reportingInstance;
  return {
    cells: [
      lastSeen,
      event.type,
      event.reason,
      target,
      fieldPath,
      host ? `${component}, ${host}` : component,
      event.message.trim(),
      firstSeen,
      count,
      event.name,
    ],
  };
}

export const eventPrinter: ResourcePrinter = {
  columns: eventColumns,
  row: (object, now) => eventRow(fromCore(object as CoreEvent), now),
};

export const eventsV1EventPrinter: ResourcePrinter = {
  columns: eventColumns,
  row: (object, now) => eventRow(fromEventsV1(object as EventsV1Event), now),
};
