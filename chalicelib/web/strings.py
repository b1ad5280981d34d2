"""The pages' words, Vietnamese first, English by the switch."""

from __future__ import annotations

LANGS = ("vi", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Kiểm tra kết quả điện tử", "Verify an electronic result"),
    "lead": (
        "Kiểm tra kết quả thủ tục hành chính có mã QR và chữ ký số, không cần dấu đỏ.",
        "Check a public-service result that carries a QR code and a digital signature, without a red stamp.",
    ),
    "switch": ("English", "Tiếng Việt"),
    "upload": ("Ảnh chụp, ảnh màn hình hoặc tệp PDF", "Photo, screenshot or PDF"),
    "upload_help": (
        "Chọn ảnh, ảnh màn hình hoặc tệp PDF trong máy, hoặc kéo thả tệp vào đây.",
        "Pick a photo, screenshot or PDF from the device, or drag a file here.",
    ),
    "or_paste": ("hoặc dán nội dung mã QR", "or paste the QR code's text"),
    "qr_text": ("Nội dung mã QR", "QR code text"),
    "holder_id": (
        "Số định danh cá nhân của người xuất trình (12 số, không bắt buộc)",
        "Personal ID number of the person presenting it (12 digits, optional)",
    ),
    "card": (
        "hoặc ảnh mã QR trên thẻ căn cước của người xuất trình",
        "or a photo of the QR code on the person's chip ID card",
    ),
    "card_unsigned": (
        "Mã QR trên thẻ căn cước không có chữ ký số: chỉ dùng để đối chiếu, không chứng minh điều gì.",
        "The chip ID card's QR code is not signed: it is used to compare, it proves nothing alone.",
    ),
    "check": ("Kiểm tra", "Verify"),
    "too_large": (
        "Tệp quá lớn để gửi. Hãy chụp màn hình phần có mã QR rồi gửi ảnh đó. (FILE_TOO_LARGE)",
        "The file is too large to send. Take a screenshot of the part with the QR code and send that. (FILE_TOO_LARGE)",
    ),
    "checking": ("Đang kiểm tra…", "Checking…"),
    "valid": ("HỢP LỆ", "VALID"),
    "invalid": ("KHÔNG HỢP LỆ", "NOT VALID"),
    "valid_lead": (
        "Kết quả điện tử này là thật, do cơ quan có thẩm quyền cấp và còn hiệu lực.",
        "This electronic result is genuine, issued by an authorised agency and in force.",
    ),
    "invalid_lead": (
        "Không tiếp nhận bản này khi chưa làm rõ.",
        "Do not accept this copy as it is.",
    ),
    "what_checked": ("Những gì đã được kiểm tra", "What was checked"),
    "passed": ("Đạt", "Passed"),
    "failed": ("Không đạt", "Failed"),
    "skipped": ("Không kiểm tra được", "Not checked"),
    "why": ("Lý do", "Why"),
    "next": ("Nên làm gì", "What to do"),
    "document": ("Giấy tờ", "Document"),
    "doc_type": ("Loại giấy tờ", "Document type"),
    "issuer": ("Cơ quan cấp", "Issuing agency"),
    "authorised": (
        "có thẩm quyền cấp loại giấy tờ này",
        "authorised to issue this type of document",
    ),
    "not_authorised": (
        "KHÔNG có thẩm quyền cấp loại giấy tờ này",
        "NOT authorised to issue this type of document",
    ),
    "holder": ("Người được cấp", "Holder"),
    "holder_masked": ("Số định danh", "ID number"),
    "dob": ("Ngày sinh", "Date of birth"),
    "issued_at": ("Ngày cấp", "Issued"),
    "expires_at": ("Có giá trị đến", "Valid until"),
    "no_expiry": ("Không thời hạn", "No end date"),
    "doc_id": ("Mã giấy tờ", "Document id"),
    "trust_as_of": ("Dữ liệu tin cậy cập nhật lúc", "Trust data as of"),
    "checked_at": ("Kiểm tra lúc", "Checked at"),
    "holder_section": ("Người xuất trình có phải người được cấp?", "Is this person the holder?"),
    "match": ("KHỚP: người xuất trình là người được cấp", "MATCHES the holder"),
    "mismatch": (
        "KHÔNG KHỚP: người xuất trình không phải người được cấp",
        "DOES NOT MATCH the holder",
    ),
    "compare": ("Đối chiếu", "Compare"),
    "receipt": ("Biên nhận kiểm tra", "Verification receipt"),
    "receipt_help": (
        "Tải biên nhận có chữ ký số của docseal để lưu hồ sơ thay cho bản có dấu đỏ.",
        "Download a receipt signed by docseal to file instead of a stamped copy.",
    ),
    "receipt_pdf": ("Tải biên nhận (PDF)", "Download receipt (PDF)"),
    "receipt_json": ("Dữ liệu biên nhận (JSON)", "Receipt data (JSON)"),
    "foreign": (
        "Mã QR này không phải kết quả docseal",
        "This QR code is not a docseal result",
    ),
    "page": ("Trang", "Page"),
    "again": ("Kiểm tra giấy tờ khác", "Check another document"),
    "camera_wait": (
        "Đang kiểm tra mã vừa quét…",
        "Checking the code you scanned…",
    ),
    "camera_nojs": (
        "Trang này cần JavaScript để đọc mã vừa quét. Hãy dán nội dung mã QR ở trang chủ.",
        "This page needs JavaScript to read the scanned code. Paste the QR text on the home page.",
    ),
    "error": ("Không kiểm tra được", "Could not check"),
    "link_unavailable": ("Liên kết không còn dùng được", "This link is not available"),
    "link_unavailable_help": (
        "Liên kết đã hết hạn, đã bị thu hồi, đã dùng hết lượt xem hoặc không đúng. Đề nghị người được cấp gửi liên kết mới.",
        "The link has expired, was withdrawn, has no views left, or is wrong. Ask the holder for a new one.",
    ),
    "limited": ("Quá nhiều yêu cầu", "Too many requests"),
    "limited_help": ("Vui lòng chờ một phút rồi thử lại.", "Please wait a minute and try again."),
    "shared_title": ("Kết quả điện tử được chia sẻ", "A shared electronic result"),
    "shared_lead": (
        "Người được cấp đã chia sẻ kết quả này; kết quả được kiểm tra lại ngay lúc mở.",
        "The holder shared this result; it was verified again just now.",
    ),
    "shared_for": ("Gửi cho", "Shared with"),
    "shared_until": ("Liên kết dùng được đến", "The link works until"),
    "me_title": ("Giấy tờ của tôi", "My documents"),
    "my_documents": ("Kết quả đã được cấp", "Results issued to me"),
    "no_documents": ("Chưa có kết quả nào.", "No results yet."),
    "expires_in": ("Liên kết dùng được trong", "The link works for"),
    "days": ("ngày", "days"),
    "max_views": ("Số lượt xem tối đa (không bắt buộc)", "Most views allowed (optional)"),
    "recipient": (
        "Gửi cho (ví dụ tên cơ quan, không bắt buộc)",
        "For whom (e.g. the agency, optional)",
    ),
    "disclose": ("Thông tin được hiển thị", "Information shown"),
    "create_link": ("Tạo liên kết chia sẻ", "Create a share link"),
    "link_created": ("Đã tạo liên kết", "Link created"),
    "link_once": (
        "Sao chép hoặc cho cơ quan quét mã này ngay: liên kết chỉ hiện một lần.",
        "Copy it or let the agency scan this code now: the link is shown only once.",
    ),
    "link_qr": ("Mã QR của liên kết", "QR code of the link"),
    "my_links": ("Liên kết đã chia sẻ", "Links I shared"),
    "no_links": ("Chưa chia sẻ liên kết nào.", "No links shared yet."),
    "state_active": ("Đang dùng được", "Active"),
    "state_expired": ("Đã hết hạn", "Expired"),
    "state_revoked": ("Đã thu hồi", "Revoked"),
    "state_used_up": ("Đã hết lượt xem", "No views left"),
    "created": ("Tạo lúc", "Created"),
    "doc_valid": ("còn hiệu lực", "in force"),
    "doc_revoked": ("đã bị thu hồi", "revoked"),
    "doc_superseded": ("đã được thay thế", "replaced"),
    "views": ("Lượt xem", "Views"),
    "who_opened": ("Ai đã mở liên kết", "Who opened the link"),
    "when": ("Thời điểm", "When"),
    "device": ("Thiết bị", "Device"),
    "not_opened": ("Chưa ai mở liên kết này.", "Nobody has opened this link."),
    "revoke": ("Thu hồi liên kết", "Revoke the link"),
    "my_docs_link": ("Giấy tờ của tôi", "My documents"),
    "signin": ("Đăng nhập", "Sign in"),
    "signin_start": ("Đăng nhập qua cổng định danh", "Sign in with the identity provider"),
    "signed_in_admin": ("Quản trị viên", "Administrator"),
    "signin_help": (
        "Kiểm tra không cần đăng nhập. Cán bộ đăng nhập sẽ có tên cơ quan trên biên nhận; công dân đăng nhập để xem giấy tờ của mình và chia sẻ liên kết.",
        "Verifying needs no sign-in. A signed-in officer gets the agency's name on receipts; a citizen signs in to see their documents and share links.",
    ),
    "signed_in_as": ("Cơ quan kiểm tra", "Verifying agency"),
    "signout": ("Đăng xuất", "Sign out"),
    "note": ("Căn cứ tiếp nhận", "Basis for acceptance"),
    "acceptance_note_default": ("", ""),
    "not_holder": (
        "GIẤY TỜ THẬT — NGƯỜI XUẤT TRÌNH KHÔNG PHẢI CHỦ SỞ HỮU",
        "GENUINE DOCUMENT — THIS PERSON IS NOT ITS HOLDER",
    ),
    "not_holder_lead": (
        "Giấy tờ là thật và còn hiệu lực, nhưng số định danh của người xuất trình không khớp với người được cấp. Không tiếp nhận thay cho người được cấp.",
        "The document is genuine and in force, but the ID number of the person presenting it does not match its holder. Do not accept it on the holder's behalf.",
    ),
    "receipt_ok": ("BIÊN NHẬN HỢP LỆ", "AUTHENTIC RECEIPT"),
    "receipt_ok_lead": (
        "Biên nhận này do docseal ký và chưa bị sửa đổi. Nó ghi lại kết luận sau:",
        "docseal signed this receipt and it has not been altered. It records this conclusion:",
    ),
    "conclusion": ("Kết luận", "Conclusion"),
    "take_photo": ("Chụp ảnh bằng camera", "Take a photo with the camera"),
    "error_title": ("Đã có lỗi", "Something went wrong"),
    "error_lead": (
        "Máy chủ gặp lỗi ngoài dự kiến khi xử lý yêu cầu này. Không có dữ liệu nào bị thay đổi; hãy thử lại sau ít phút.",
        "The server met an unexpected error with this request. Nothing was changed; try again in a few minutes.",
    ),
    "not_found_title": ("Không tìm thấy trang", "Page not found"),
    "not_found_lead": (
        "Địa chỉ này không có trang nào của docseal. Hãy mở trang chủ để kiểm tra giấy tờ.",
        "There is no docseal page at this address. Open the home page to check a document.",
    ),
    "method_title": ("Không thực hiện được thao tác này", "This action is not available here"),
    "method_lead": (
        "Trang này không nhận kiểu yêu cầu vừa gửi. Hãy quay lại trang chủ.",
        "This page does not take the request that was sent. Go back to the home page.",
    ),
    "request_id": ("Mã yêu cầu (báo cho bộ phận hỗ trợ)", "Request id (tell support)"),
    "home": ("Về trang chủ", "Home page"),
}


ERRORS: dict[str, tuple[str, str]] = {
    "MISSING_FILE": (
        "Hãy chọn ảnh, ảnh màn hình hoặc tệp PDF, hoặc dán nội dung mã QR.",
        "Choose a photo, screenshot or PDF, or paste the QR code's text.",
    ),
    "INVALID_ID_NUMBER": (
        "Số định danh cá nhân phải gồm đúng 12 chữ số.",
        "The personal ID number must be exactly 12 digits.",
    ),
    "NOT_AN_ID_CARD_QR": (
        "Ảnh không có mã QR của thẻ căn cước (định dạng không đúng). Hãy chụp lại mặt trước thẻ.",
        "The photo holds no chip ID card QR code in the card's format. Photograph the card's front again.",
    ),
    "BAD_FORM": ("Biểu mẫu gửi lên không đúng.", "The form sent is malformed."),
    "HOLDER_CHECKS_USED_UP": (
        "Liên kết này đã dùng hết số lần đối chiếu người xuất trình. Đề nghị người được cấp gửi liên kết mới.",
        "This link has used up its holder checks. Ask the holder for a new link.",
    ),
    "TICKET_INVALID": (
        "Trang này đã cũ hoặc bị thay đổi. Hãy kiểm tra lại giấy tờ.",
        "This page is out of date or was altered. Check the document again.",
    ),
    "TICKET_EXPIRED": (
        "Trang này đã mở quá một giờ. Hãy kiểm tra lại giấy tờ.",
        "This page was opened more than an hour ago. Check the document again.",
    ),
    "LINK_UNAVAILABLE": (
        "Liên kết không còn dùng được.",
        "This link is not available.",
    ),
    "NOT_A_RECEIPT": ("Đây không phải biên nhận của docseal.", "This is not a docseal receipt."),
    "RECEIPT_INVALID": ("Biên nhận không hợp lệ.", "The receipt does not verify."),
    "UNAUTHORIZED": (
        "Mã đăng nhập không hợp lệ hoặc đã hết hạn.",
        "The token is invalid or expired.",
    ),
    "CSRF_INVALID": (
        "Biểu mẫu này không đến từ trang docseal của bạn. Hãy tải lại trang và thử lại.",
        "This form did not come from your docseal page. Reload the page and try again.",
    ),
    "SIGNIN_FAILED": (
        "Không hoàn tất được việc đăng nhập. Hãy đăng nhập lại từ đầu.",
        "The sign-in could not be completed. Start again.",
    ),
    "ID_TOKEN_INVALID": (
        "Thông tin đăng nhập từ cổng định danh không hợp lệ. Hãy đăng nhập lại.",
        "The identity provider's sign-in could not be verified. Sign in again.",
    ),
    "SIGNIN_REFUSED": (
        "Tài khoản này không đăng nhập được vào docseal: công dân cần số định danh cá nhân gồm 12 chữ số hợp lệ; cán bộ và quản trị viên cần được cấp quyền.",
        "This account cannot sign in to docseal: a citizen needs a valid 12-digit personal ID number; officers and administrators need to be granted access.",
    ),
    "SIGNIN_UNAVAILABLE": (
        "Cổng định danh hiện không truy cập được. Việc kiểm tra giấy tờ vẫn dùng được; hãy đăng nhập lại sau.",
        "The identity provider cannot be reached. Verifying documents still works; sign in again later.",
    ),
    "FORBIDDEN": (
        "Mã đăng nhập này không phải của cán bộ kiểm tra.",
        "This token is not a verifying officer's.",
    ),
}


def strings_for(lang: str) -> dict[str, str]:
    index = 1 if lang == "en" else 0
    return {key: pair[index] for key, pair in STRINGS.items()}
