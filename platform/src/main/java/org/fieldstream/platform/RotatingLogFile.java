package org.fieldstream.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A log file that is only ever appended to and is rotated by size: once {@code name.log} has reached
 * {@code maxBytes}, it becomes {@code name.log.1} (the older ones move up to {@code name.log.<files-1>},
 * the oldest is deleted) and a new {@code name.log} begins. So a process never truncates what another
 * wrote, and the files of one log never hold more than about {@code maxBytes × files}.
 *
 * <p>Several processes may write one log at once: the file is opened in append mode, so every write
 * lands at its end, and whole lines are written in one call, so lines of different processes do not
 * mix. Rotation is done under a lock on {@code name.log.lock}, by the writer still holding the full
 * file; a writer whose file was rotated away by another process notices on its next line and
 * reopens. With writers at the same time, a file may pass {@code maxBytes} by a line of each.
 */
public final class RotatingLogFile extends OutputStream {

    private static final int MAX_PENDING = 64 * 1024;
    /** One rotation at a time within this JVM (a file lock is held per JVM, not per thread). */
    private static final Object ROTATION = new Object();

    private final Path file;
    private final long maxBytes;
    private final int files;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private FileChannel channel;
    private Object fileKey;

    /**
     * @param maxBytes size at which the file is rotated
     * @param files    files kept, the current one included (at least 1: then a full file is deleted)
     */
    public RotatingLogFile(Path file, long maxBytes, int files) {
        if (maxBytes < 1 || files < 1) {
            throw new IllegalArgumentException("log rotation needs maxBytes >= 1 and files >= 1, got " + maxBytes + " and " + files);
        }
        this.file = file.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.files = files;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        pending.write(b);
        if (b == '\n' || pending.size() >= MAX_PENDING) {
            writePending();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        pending.write(b, off, len);
        if (endsLine(b, off, len) || pending.size() >= MAX_PENDING) {
            writePending();
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        writePending();
    }

    @Override
    public synchronized void close() throws IOException {
        writePending();
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private static boolean endsLine(byte[] b, int off, int len) {
        for (int i = off + len - 1; i >= off; i--) {
            if (b[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    private void writePending() throws IOException {
        if (pending.size() == 0) {
            return;
        }
        byte[] bytes = pending.toByteArray();
        pending.reset();
        openCurrent();
        if (channel.size() > 0 && channel.size() + bytes.length > maxBytes) {
            rotate();
            openCurrent();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Opens {@code name.log}, or reopens it when another writer has rotated the one held away. */
    private void openCurrent() throws IOException {
        Object current = currentKey();
        if (channel != null && channel.isOpen() && current != null && current.equals(fileKey)) {
            return;
        }
        if (channel != null) {
            channel.close();
        }
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        fileKey = currentKey();
    }

    private Object currentKey() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void rotate() throws IOException {
        synchronized (ROTATION) {
            try (FileChannel lockFile = FileChannel.open(lockPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                Object current = currentKey();
                if (current == null || !current.equals(fileKey)) {
                    return; // another writer rotated it meanwhile; the caller reopens the new one
                }
                Files.deleteIfExists(numbered(files - 1));
                for (int i = files - 2; i >= 1; i--) {
                    if (Files.exists(numbered(i))) {
                        Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                if (files > 1) {
                    Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.delete(file);
                }
            }
        }
    }

    private Path lockPath() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    /** {@code name.log.<n>}; {@code n} 0 is the current file. */
    Path numbered(int n) {
        return n == 0 ? file : file.resolveSibling(file.getFileName() + "." + n);
    }
}
