// What Sentinel faults reach in a started sentinel topology (filled in by the Sentinel topology).
export interface SentinelControl {
  readonly masterName: string;
}
