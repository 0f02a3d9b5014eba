/** Why an allocator refused a requested address or port; allocate() returns undefined once it is ours. */
export type AllocError = 'NotInRange' | 'Allocated' | 'Full';
