/** `node agent/main.js …`: the agent alone (the tinykube CLI routes `tinykube agent` to agentCommand too). */
import { createLogger } from '../control/util/log.js';
import { agentCommand } from './cli.js';

process.exitCode = await agentCommand(process.argv.slice(2), createLogger({ name: 'agent' }));
