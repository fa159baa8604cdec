// What Cluster faults reach in a started cluster topology (filled in by the Cluster topology).
export interface ClusterControl {
  readonly shards: number;
}
