#pragma once
// application/problem+json (RFC 9457) bodies for core::Error, in the shape
// docs/api.md fixes: {type, title, status, detail, errors: [{field, message}]}
// plus any extra members the error carries (conflicts, current_status, ...).

#include "api/http_message.h"
#include "core/error.h"

namespace parcours::api {

Response problemResponse(const core::Error& error);

}  // namespace parcours::api
