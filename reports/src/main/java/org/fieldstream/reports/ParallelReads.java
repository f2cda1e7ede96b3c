package org.fieldstream.reports;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Reads of one page that do not depend on each other, run at the same time on their own connections:
 * a page takes as long as its slowest read rather than their sum. At most four at once per page
 * (the retention report's three lanes beside the outreach report), within an analyst's
 * {@code max_concurrent_queries_for_user}.
 */
final class ParallelReads {

    private static final Executor READERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "dashboard-report-reader");
        thread.setDaemon(true);
        return thread;
    });

    private ParallelReads() {
    }

    /** Starts a read. */
    static <T> CompletableFuture<T> start(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, READERS);
    }

    /** The read's result, or what it threw (a {@link ReportError} stays one). */
    static <T> T joined(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
