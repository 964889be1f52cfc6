# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

module SecretsPrefetch
  # Waiting for the extension while its manifest is pending (docs/manifest.md, rule 4): sleeps in growing steps
  # (5 ms doubling to 50 ms), never spinning, until the manifest is no longer pending, or until the earlier of
  # its deadline and SECRETS_PREFETCH_WAIT_MS after the wait began. Loaded when a first pending manifest is seen.
  # @api private
  class PendingWait
    FIRST_POLL_MS = 5
    MAX_POLL_MS = 50

    # +source+: the ManifestSource to re-read; +wait_ms+: the cap (Config#wait_ms).
    def initialize(source, clock, log, wait_ms)
      @source = source
      @clock = clock
      @log = log
      @wait_ms = wait_ms
      @stuck_generation = nil
      @lock = Mutex.new
    end

    # The manifest once +manifest+ (pending) is no longer pending, or the one there when the wait ends.
    def call(manifest)
      started = @clock.monotonic_ms
      cap = started + @wait_ms
      poll = FIRST_POLL_MS
      @log.debug("manifest pending (generation #{manifest.generation}); waiting for the extension")
      while manifest&.pending?
        now = @clock.monotonic_ms
        remaining = [cap, now + manifest.deadline_epoch_ms - @clock.epoch_ms].min - now
        break if remaining <= 0

        @clock.sleep_ms([poll, remaining].min)
        poll = [poll * 2, MAX_POLL_MS].min
        manifest = @source.current(force: true)
      end
      log_wait(manifest, @clock.monotonic_ms - started)
      manifest
    end

    private

    def log_wait(manifest, waited)
      if manifest.nil?
        @log.info("manifest went away or became unusable while waiting (#{waited.round} ms)")
      elsif !manifest.pending?
        @log.info("waited #{waited.round} ms for the extension's manifest (generation #{manifest.generation})")
      elsif @lock.synchronize { @stuck_generation != manifest.generation && (@stuck_generation = manifest.generation) }
        # Once per generation: every call that gives up on the same pending manifest would say the same.
        @log.warn("manifest still pending after waiting #{waited.round} ms (its deadline or " \
                  "#{Config::WAIT_MS}=#{@wait_ms} reached); calling Secrets Manager directly")
      else
        @log.debug("manifest still pending after waiting #{waited.round} ms")
      end
    end
  end
end
