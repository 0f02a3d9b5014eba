/**
 * The CRI v1 messages as plain objects on the wire (api.proto names, snake_case), as
 * @grpc/proto-loader hands them over with LOADER_OPTIONS: int64/uint64 as decimal strings
 * (numbers are accepted when sending), enums by name, unset messages null, bytes as Buffer.
 * Every field is optional: what a peer leaves out decodes to its default. Only the messages the
 * conversions in convert-*.ts touch are typed here.
 */
export type Int64 = string | number;
export type Maybe<T> = T | null | undefined;
export type StrMap = Record<string, string>;

export interface WInt64Value { value?: Int64 }
export interface WKeyValue { key?: string; value?: string }
export interface WImageSpec { image?: string; annotations?: StrMap }
export interface WPodSandboxMetadata { name?: string; uid?: string; namespace?: string; attempt?: number }
export interface WContainerMetadata { name?: string; attempt?: number }
export interface WPortMapping { protocol?: string; container_port?: number; host_port?: number; host_ip?: string }
export interface WMount { container_path?: string; host_path?: string; readonly?: boolean; selinux_relabel?: boolean; propagation?: string }
export interface WDevice { container_path?: string; host_path?: string; permissions?: string }
export interface WNamespaceOption { network?: string; pid?: string; ipc?: string; target_id?: string }
export interface WSecurityProfile { profile_type?: string; localhost_ref?: string }
export interface WSELinuxOption { user?: string; role?: string; type?: string; level?: string }
export interface WCapability { add_capabilities?: string[]; drop_capabilities?: string[]; add_ambient_capabilities?: string[] }
export interface WHugepageLimit { page_size?: string; limit?: Int64 }

export interface WLinuxContainerResources {
  cpu_period?: Int64; cpu_quota?: Int64; cpu_shares?: Int64; memory_limit_in_bytes?: Int64; oom_score_adj?: Int64;
  cpuset_cpus?: string; cpuset_mems?: string; hugepage_limits?: WHugepageLimit[]; unified?: StrMap;
  memory_swap_limit_in_bytes?: Int64;
}

export interface WLinuxSandboxSecurityContext {
  namespace_options?: Maybe<WNamespaceOption>; selinux_options?: Maybe<WSELinuxOption>;
  run_as_user?: Maybe<WInt64Value>; run_as_group?: Maybe<WInt64Value>; readonly_rootfs?: boolean;
  supplemental_groups?: Int64[]; privileged?: boolean; seccomp?: Maybe<WSecurityProfile>; apparmor?: Maybe<WSecurityProfile>;
  seccomp_profile_path?: string;
}

export interface WLinuxContainerSecurityContext {
  capabilities?: Maybe<WCapability>; privileged?: boolean; namespace_options?: Maybe<WNamespaceOption>;
  selinux_options?: Maybe<WSELinuxOption>; run_as_user?: Maybe<WInt64Value>; run_as_group?: Maybe<WInt64Value>;
  run_as_username?: string; readonly_rootfs?: boolean; supplemental_groups?: Int64[]; no_new_privs?: boolean;
  masked_paths?: string[]; readonly_paths?: string[]; seccomp?: Maybe<WSecurityProfile>; apparmor?: Maybe<WSecurityProfile>;
  apparmor_profile?: string; seccomp_profile_path?: string;
}

export interface WPodSandboxConfig {
  metadata?: Maybe<WPodSandboxMetadata>; hostname?: string; log_directory?: string;
  dns_config?: Maybe<{ servers?: string[]; searches?: string[]; options?: string[] }>;
  port_mappings?: WPortMapping[]; labels?: StrMap; annotations?: StrMap;
  linux?: Maybe<{
    cgroup_parent?: string; security_context?: Maybe<WLinuxSandboxSecurityContext>; sysctls?: StrMap;
    overhead?: Maybe<WLinuxContainerResources>; resources?: Maybe<WLinuxContainerResources>;
  }>;
}

export interface WContainerConfig {
  metadata?: Maybe<WContainerMetadata>; image?: Maybe<WImageSpec>; command?: string[]; args?: string[];
  working_dir?: string; envs?: WKeyValue[]; mounts?: WMount[]; devices?: WDevice[];
  labels?: StrMap; annotations?: StrMap; log_path?: string; stdin?: boolean; stdin_once?: boolean; tty?: boolean;
  linux?: Maybe<{ resources?: Maybe<WLinuxContainerResources>; security_context?: Maybe<WLinuxContainerSecurityContext> }>;
}

export interface WPodSandbox {
  id?: string; metadata?: Maybe<WPodSandboxMetadata>; state?: string; created_at?: Int64;
  labels?: StrMap; annotations?: StrMap; runtime_handler?: string;
}
export interface WPodSandboxStatus extends WPodSandbox {
  network?: Maybe<{ ip?: string; additional_ips?: { ip?: string }[] }>;
  linux?: Maybe<{ namespaces?: Maybe<{ options?: Maybe<WNamespaceOption> }> }>;
}

export interface WContainer {
  id?: string; pod_sandbox_id?: string; metadata?: Maybe<WContainerMetadata>; image?: Maybe<WImageSpec>;
  image_ref?: string; state?: string; created_at?: Int64; labels?: StrMap; annotations?: StrMap;
}
export interface WContainerStatus {
  id?: string; metadata?: Maybe<WContainerMetadata>; state?: string; created_at?: Int64; started_at?: Int64;
  finished_at?: Int64; exit_code?: number; image?: Maybe<WImageSpec>; image_ref?: string; reason?: string;
  message?: string; labels?: StrMap; annotations?: StrMap; mounts?: WMount[]; log_path?: string;
  resources?: Maybe<{ linux?: Maybe<WLinuxContainerResources> }>;
}

export interface WPodSandboxFilter { id?: string; state?: Maybe<{ state?: string }>; label_selector?: StrMap }
export interface WContainerFilter { id?: string; state?: Maybe<{ state?: string }>; pod_sandbox_id?: string; label_selector?: StrMap }
export interface WContainerStatsFilter { id?: string; pod_sandbox_id?: string; label_selector?: StrMap }
export interface WPodSandboxStatsFilter { id?: string; label_selector?: StrMap }

export interface WImage {
  id?: string; repo_tags?: string[]; repo_digests?: string[]; size?: Int64; uid?: Maybe<WInt64Value>;
  username?: string; spec?: Maybe<WImageSpec>; pinned?: boolean;
}
export interface WAuthConfig {
  username?: string; password?: string; auth?: string; server_address?: string; identity_token?: string; registry_token?: string;
}

export interface WUInt64Value { value?: Int64 }
export interface WCpuUsage { timestamp?: Int64; usage_core_nano_seconds?: Maybe<WUInt64Value>; usage_nano_cores?: Maybe<WUInt64Value> }
export interface WMemoryUsage {
  timestamp?: Int64; working_set_bytes?: Maybe<WUInt64Value>; available_bytes?: Maybe<WUInt64Value>;
  usage_bytes?: Maybe<WUInt64Value>; rss_bytes?: Maybe<WUInt64Value>; page_faults?: Maybe<WUInt64Value>;
  major_page_faults?: Maybe<WUInt64Value>;
}
export interface WFilesystemUsage {
  timestamp?: Int64; fs_id?: Maybe<{ mountpoint?: string }>; used_bytes?: Maybe<WUInt64Value>; inodes_used?: Maybe<WUInt64Value>;
}
export interface WContainerStats {
  attributes?: Maybe<{ id?: string; metadata?: Maybe<WContainerMetadata>; labels?: StrMap; annotations?: StrMap }>;
  cpu?: Maybe<WCpuUsage>; memory?: Maybe<WMemoryUsage>; writable_layer?: Maybe<WFilesystemUsage>;
}
export interface WNetworkInterfaceUsage {
  name?: string; rx_bytes?: Maybe<WUInt64Value>; rx_errors?: Maybe<WUInt64Value>; tx_bytes?: Maybe<WUInt64Value>; tx_errors?: Maybe<WUInt64Value>;
}
export interface WPodSandboxStats {
  attributes?: Maybe<{ id?: string; metadata?: Maybe<WPodSandboxMetadata>; labels?: StrMap; annotations?: StrMap }>;
  linux?: Maybe<{
    cpu?: Maybe<WCpuUsage>; memory?: Maybe<WMemoryUsage>;
    network?: Maybe<{ timestamp?: Int64; default_interface?: Maybe<WNetworkInterfaceUsage>; interfaces?: WNetworkInterfaceUsage[] }>;
    process?: Maybe<{ timestamp?: Int64; process_count?: Maybe<WUInt64Value> }>;
    containers?: WContainerStats[];
  }>;
}
export interface WRuntimeCondition { type?: string; status?: boolean; reason?: string; message?: string }
export interface WContainerEvent {
  container_id?: string; container_event_type?: string; created_at?: Int64;
  pod_sandbox_status?: Maybe<WPodSandboxStatus>; containers_statuses?: WContainerStatus[];
}
