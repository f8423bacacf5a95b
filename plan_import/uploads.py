"""An upload handler that stops reading a file past the import's size limit.

Django would otherwise stream a 50 MB upload into a temporary file before the
view could refuse it. With this handler first in line, the request body past
the limit is read and dropped (not stored), the form's other fields (sent
before the file) stay, and the view says the file is too large.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file
