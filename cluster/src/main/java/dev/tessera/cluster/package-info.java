/**
 * A distributed scheduler on Apache Ignite: the same programs, unchanged but for the
 * scheduler, on many machines.
 */
package dev.tessera.cluster;
