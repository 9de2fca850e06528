package io.aftercare.bench;

import java.util.function.IntFunction;

/**
 * One console query to time: its name in the report, what the console shows with it, and the API
 * path of its {@code n}-th request (a query over one device moves to another device each time, so
 * the figures are not those of one device's pages in cache).
 */
record TimedQuery(String name, String shows, IntFunction<String> path) {}
