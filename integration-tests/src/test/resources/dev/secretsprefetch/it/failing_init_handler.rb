# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

raise ArgumentError, "stand-in handler cannot start"

def handler(event:, context:); end
