# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "manifest"

module SecretsPrefetch
  # The manifest file as this process last saw it. The parsed manifest is kept in memory; the file is
  # re-checked (stat: inode, size, mtime; re-read only when one changed) at most once per RECHECK_MS, so a
  # new generation written by the extension (refresh, rotation) is picked up within a second.
  # @api private
  class ManifestSource
    RECHECK_MS = 1000
    # Larger files are not manifests the extension wrote (the Java reader's limit too).
    MAX_BYTES = 64 * 1024 * 1024

    def initialize(path, clock, log)
      @path = path
      @clock = clock
      @log = log
      @lock = Mutex.new
      @manifest = nil
      @signature = nil
      @checked_at = nil
      @warned = false
    end

    # The current manifest, or nil when there is none (no file, or one that cannot be used).
    # +force+ skips the once-a-second limit (used while waiting for a pending manifest).
    def current(force: false)
      @lock.synchronize do
        now = @clock.monotonic_ms
        unless !force && @checked_at && now - @checked_at < RECHECK_MS
          @checked_at = now
          refresh
        end
        @manifest
      end
    end

    private

    def refresh
      stat = File.lstat(@path)
      signature = signature_of(stat)
      return if signature == @signature
      return ignore(signature, "is a symbolic link, which readers never follow") if stat.symlink?
      # Never opened: opening a FIFO would block the handler.
      return ignore(signature, "is not a regular file (a directory, FIFO or device)") unless stat.file?

      load
    rescue Errno::ENOENT, Errno::ENOTDIR
      forget
    rescue Errno::ELOOP
      ignore(nil, "is a symbolic link, which readers never follow") # replaced by a link since the lstat
    rescue SystemCallError => e
      ignore(nil, "cannot be read (#{e.class.name.split('::').last}); check its owner and mode (0600, the " \
                  "function's user)")
    end

    # Reads through the descriptor it stats, so the signature kept is that of the bytes parsed, even when the
    # extension replaces the file in between.
    def load
      signature = nil
      bytes = File.open(@path, File::RDONLY | File::NOFOLLOW | File::BINARY) do |file|
        stat = file.stat
        signature = signature_of(stat)
        raise Manifest::FormatError, too_large(stat.size) if stat.size > MAX_BYTES

        # Sized by the file, not by the limit: a 64 MiB buffer for every read would cost a garbage collection.
        file.read(stat.size + 1) || +""
      end
      raise Manifest::FormatError, too_large(bytes.bytesize) if bytes.bytesize > MAX_BYTES

      @manifest = Manifest.parse(bytes)
      @signature = signature
      @log.debug("manifest #{@path} read: generation #{@manifest.generation}, #{@manifest.state}, " \
                 "#{@manifest.secrets.size} secrets")
    rescue Manifest::FormatError => e
      ignore(signature, e.message)
    end

    def too_large(size)
      "manifest is #{size} bytes, more than a manifest can be (#{MAX_BYTES}); remove it"
    end

    def forget
      @log.debug("manifest #{@path} is gone") if @manifest
      @manifest = nil
      @signature = nil
    end

    # Treat as absent; remember the file so the same broken file is not parsed again on every check.
    def ignore(signature, problem)
      @manifest = nil
      @signature = signature
      return if @warned

      @warned = true
      @log.warn("manifest #{@path} ignored: #{problem}; calling Secrets Manager directly " \
                "(this warning is shown once per process)")
    end

    def signature_of(stat)
      [stat.dev, stat.ino, stat.size, stat.mtime.tv_sec, stat.mtime.tv_nsec]
    end
  end
end
