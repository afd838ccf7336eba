/** RM data_structures package, typed as in canonical JSON (conventions: see support.ts). */
import type { LocatableBase } from './common.js';
import type { AnyDvText, DataValue, DvCodedText, DvDateTime, DvDuration } from './data-types.js';

export interface Element extends LocatableBase {
  _type?: 'ELEMENT';
  value?: DataValue;
  null_flavour?: DvCodedText;
  null_reason?: AnyDvText;
}

export interface Cluster extends LocatableBase {
  _type?: 'CLUSTER';
  items: Item[];
}

export type Item = Cluster | Element;

export interface ItemSingle extends LocatableBase {
  _type?: 'ITEM_SINGLE';
  item: Element;
}

export interface ItemList extends LocatableBase {
  _type?: 'ITEM_LIST';
  items?: Element[];
}

export interface ItemTree extends LocatableBase {
  _type?: 'ITEM_TREE';
  items?: Item[];
}

export interface ItemTable extends LocatableBase {
  _type?: 'ITEM_TABLE';
  rows?: Cluster[];
}

export type ItemStructure = ItemSingle | ItemList | ItemTree | ItemTable;

interface EventBase<T extends ItemStructure> extends LocatableBase {
  time: DvDateTime;
  data: T;
  state?: ItemStructure;
}

export interface PointEvent<T extends ItemStructure = ItemStructure> extends EventBase<T> {
  _type?: 'POINT_EVENT';
}

export interface IntervalEvent<T extends ItemStructure = ItemStructure> extends EventBase<T> {
  _type?: 'INTERVAL_EVENT';
  width: DvDuration;
  sample_count?: number;
  math_function: DvCodedText;
}

export type Event<T extends ItemStructure = ItemStructure> = PointEvent<T> | IntervalEvent<T>;

export interface History<T extends ItemStructure = ItemStructure> extends LocatableBase {
  _type?: 'HISTORY';
  origin: DvDateTime;
  period?: DvDuration;
  duration?: DvDuration;
  events?: Event<T>[];
  summary?: ItemStructure;
}

export type DataStructure = ItemStructure | History;
