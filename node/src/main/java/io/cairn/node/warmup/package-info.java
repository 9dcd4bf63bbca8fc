/**
 * The start-up warm-up of {@code cairn run}: before the real sessions open, a throwaway node
 * learns, selects and exports a synthetic table from simulated NVAs on loopback, so that the JIT
 * has compiled the per-prefix paths before the first real table arrives.
 */
package io.cairn.node.warmup;
