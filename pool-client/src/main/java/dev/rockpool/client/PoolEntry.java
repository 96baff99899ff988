package dev.rockpool.client;

import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolInfo;

/**
 * One pool of a remote listing: its info, or why the server could not read it.
 *
 * @param name  the pool name
 * @param info  the pool's info, or null when {@code error} is set
 * @param error why the server could not read the pool, or null
 */
public record PoolEntry(String name, PoolInfo info, PoolException error) {
}
