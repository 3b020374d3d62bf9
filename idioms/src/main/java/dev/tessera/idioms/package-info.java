/**
 * What the tutorials this project grew from teach, as thin layers over the futures client and
 * the schedulers' workers. One package per idiom family, each with its own entry class.
 */
package dev.tessera.idioms;
