#!/usr/bin/env node
/**
 * The tinykube command line: dispatches to the commands; exit 0 ok, 1 failure, 2 usage. Each
 * command is imported when it runs, so a long-running server or agent holds only its own code
 * (the agent never loads the API server, the server never loads the container runtime).
 */
import { createLogger } from '../control/util/log.js';
import { UsageError } from './flags.js';
import type { IoStreams } from './io-streams.js';
import { CLUSTER_USAGE } from './cluster/cluster-usage.js';

const USAGE = `usage: tinykube <command> [flags]

commands:
  up [--data-dir D] [--listen HOST:PORT] [--runtime docker|containerd] [--runtime-endpoint URL]
     [--node-name N] [--node-ip IP] [--node-api-port 10250] [--bridge tk0] [--network-mode host|node|none]
                                                           start a single-node tinykube on this host (control plane + agent)
  down [--data-dir D] [--purge]                            stop it (and delete its state with --purge)
  server --data-dir D [--listen 0.0.0.0:6443] [--store sqlite://PATH|etcd://H:2379[,H:2379][?prefix=/P]|memory://]
         [--service-cidr 10.96.0.0/12] [--cluster-cidr 10.244.0.0/16] [--node-port-range 30000-32767]
         [--advertise-address IP] [--node-monitor-grace-period 50s] [--node-monitor-period 5s]
         [--etcd-cafile F --etcd-certfile F --etcd-keyfile F] [--max-watches 5000] [--max-watches-per-user 500]
         [--legacy-service-account-token-secrets]
                                                           the control plane alone, in the foreground
  agent --kubeconfig F | --server URL --token T --ca-cert F [--node-name N] [--node-ip IP]
        [--runtime docker|containerd] [--runtime-endpoint URL] [--data-dir D] [--node-api-port 10250]
                                                           one node: registers it and runs its pods
${CLUSTER_USAGE}  image build-test [--out DIR] [--runtime-endpoint docker:///var/run/docker.sock]
                                                           build the test images from busybox-static and import them
  image import FILE.tar [--runtime-endpoint URL]           load an image archive (docker-archive, as docker save writes)
  containerd config [--dir /etc/tinykube/containerd] [--root R] [--state S] [--address SOCK] [--bridge tk0]
                    [--cni-data-dir D] [--firewall] [--pod-cidr C] [--print]
                                                           write (or print) a containerd config for tinykube and its CNI template
  token create [TOKEN] [--ttl 24h] [--description TEXT] [--groups G] [--usages signing,authentication]
               [--print-join-command] [--kubeconfig F]     create a bootstrap token (kubeadm style) and print it
  token list [--kubeconfig F]                              list bootstrap tokens
  token delete ID|TOKEN... [--kubeconfig F]                delete bootstrap tokens
  kubeconfig user --name N [--group G]... [--ttl 8760h] [--data-dir D] [--server URL]
                                                           print a kubeconfig for user N with a client certificate from the cluster CA
  init [up flags]                                          up, then a bootstrap token and the exact \`tinykube join\` line
  join https://IP:6443 --token T|--token-file F --ca-cert-hash sha256:H [--node-name N] [--node-ip IP] [--data-dir D]
       [--foreground] [agent flags]                        join this machine as a node with its own credentials
  doctor [--runtime-endpoint URL] [--cluster-cidr C] [--service-cidr C] [--data-dir D]
                                                           preflight: kernel features, iptables backend, tools, runtime, ports, routes
  crictl [-r unix:///PATH/cri.sock|containerd:///PATH] [--data-dir D] [-t 2s]
         version|info|pods|ps|images|inspect|inspectp|inspecti|logs|exec|stats|pull|rmi|stop|rm|stopp|rmp
                                                           CRI v1 debugging as crictl does, against the node's runtime (see tinykube crictl help)
`;

const NOT_YET = new Set<string>();

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const io: IoStreams = { in: process.stdin, out: process.stdout, err: process.stderr };
  switch (cmd) {
    case 'up': return (await import('./up/up-command.js')).upCommand(rest, io);
    case 'down': return (await import('./down/down-command.js')).downCommand(rest, io);
    case 'server': return (await import('./server/server-command.js')).serverCommand(rest, createLogger({ name: 'tinykube-server' }));
    case 'image': return (await import('./image/image-command.js')).imageCommand(rest, io);
    case 'containerd': return (await import('./containerd/containerd-command.js')).containerdCommand(rest, io);
    case 'cluster': return (await import('./cluster/cluster-command.js')).clusterCommand(rest, io);
    case 'token': return (await import('./token/token-command.js')).tokenCommand(rest, io);
    case 'kubeconfig': return (await import('./kubeconfig/kubeconfig-command.js')).kubeconfigCommand(rest, io);
    case 'init': return (await import('./init/init-command.js')).initCommand(rest, io);
    case 'join': return (await import('./join/join-command.js')).joinCommand(rest, io);
    case 'doctor': return (await import('./doctor/doctor-command.js')).doctorCommand(rest, io);
    case 'crictl': {
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      process.once('SIGTERM', () => ac.abort());
      return (await import('./crictl/main.js')).crictlCommand(rest, io, { signal: ac.signal });
    }
    case 'agent': return (await import('./agent/agent-command.js')).agentCommand(rest, createLogger({ name: 'tinykube-agent' }));
    case undefined: case 'help': case '--help': case '-h':
      io.out.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      if (NOT_YET.has(cmd)) throw new Error(`${cmd}: not available yet in this version of tinykube`);
      throw new UsageError(`unknown command "${cmd}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const usage = err instanceof UsageError;
    process.stderr.write(`tinykube: ${(err as Error).message}\n${usage ? 'Run "tinykube help" for usage.\n' : ''}`);
    process.exitCode = usage ? 2 : 1;
  },
);
