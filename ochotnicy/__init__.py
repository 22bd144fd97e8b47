"""The `ochotnicy` command: tokens, the local stack, demonstration data, audits."""
