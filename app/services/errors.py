"""The domain's error for bad input or a refused step, shared by the services.

`errors` maps field names to messages (views answer with them, naming the field);
`http_status` (given as `status=`) is the HTTP status a view answers with (400 bad input, 403 not
yours to do, 404 not yours to see, 409 not possible now).
"""


class FieldErrors(ValueError):
    http_status = 400

    def __init__(self, errors, status=None):
        super().__init__(errors)
        self.errors = errors
        if status is not None:
            self.http_status = status
