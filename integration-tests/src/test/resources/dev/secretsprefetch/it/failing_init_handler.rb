# frozen_string_literal: true

raise ArgumentError, "stand-in handler cannot start"

def handler(event:, context:); end
