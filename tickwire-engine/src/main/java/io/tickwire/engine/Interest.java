package io.tickwire.engine;

import java.util.Arrays;

/**
 * Who wants one stream: the distinct routes (loop and format) with at least one subscriber,
 * each with its subscriber count.
 *
 * <p>Owned and mutated by the partition thread only. Fan-out reads it on the same thread while
 * publishing, so iteration needs no copy. Sized by the number of routes, which is small (event
 * loops × wire formats), so linear scans beat hashing here.
 */
public final class Interest {

    private int[] routes = new int[4];
    private int[] counts = new int[4];
    private int size;

    /** The number of distinct routes with subscribers. */
    public int routeCount() {
        return size;
    }

    /** The i-th route, for {@code 0 <= i < routeCount()}. */
    public int route(int i) {
        return routes[i];
    }

    /** Subscribers on the i-th route. */
    public int count(int i) {
        return counts[i];
    }

    /** Whether any subscriber remains. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Whether at least one route of this wire format has subscribers. */
    public boolean hasFormat(int format) {
        for (int i = 0; i < size; i++) {
            if (Route.format(routes[i]) == format) {
                return true;
            }
        }
        return false;
    }

    void add(int route) {
        for (int i = 0; i < size; i++) {
            if (routes[i] == route) {
                counts[i]++;
                return;
            }
        }
        if (size == routes.length) {
            routes = Arrays.copyOf(routes, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        routes[size] = route;
        counts[size] = 1;
        size++;
    }

    /** Removes one subscriber of a route; returns false if the route had none. */
    boolean remove(int route) {
        for (int i = 0; i < size; i++) {
            if (routes[i] == route) {
                if (--counts[i] == 0) {
                    size--;
                    routes[i] = routes[size];
                    counts[i] = counts[size];
                }
                return true;
            }
        }
        return false;
    }
}
