"""Vietnamese for the reasons the probes give in English ("timed out", "connection refused",
"name does not resolve: …").

A probe records why it could not observe something as one English sentence, kept as evidence
and in the JSON results unchanged (tools read them). A Vietnamese page or table shows the same
reason in Vietnamese: `reason_in(reason, "vi")` translates the phrases it knows where a reason
(or a part of one) begins — at the start, after ": ", "; ", " (" or ", " — and leaves the
values in between (host names, addresses, certificate subjects, the operating system's own
words) as they are. A phrase not listed stays in English: a new probe message is never lost,
only untranslated. Pure; no I/O (a foundation every layer may use).
"""

from __future__ import annotations

import re

#: English phrase (as the probes write it, at the start of a reason or a part of one) →
#: Vietnamese. Longer phrases first where one begins another (the table is sorted below).
_PHRASES: dict[str, str] = {
    # connections (tls, http, dns)
    "timed out querying ": "hết thời gian chờ khi truy vấn ",
    "timed out": "hết thời gian chờ",
    "connection refused by ": "bị từ chối kết nối bởi ",
    "connection refused": "kết nối bị từ chối",
    "connection reset by peer": "kết nối bị bên kia ngắt",
    "connection reset: closed during TLS handshake": (
        "kết nối bị ngắt: đóng giữa lúc bắt tay TLS"),
    "connection reset: closed during TLS": "kết nối bị ngắt: đóng giữa lúc bắt tay TLS",
    "connection closed without a response": "kết nối đóng mà không có phản hồi",
    "unreachable: ": "không tới được: ",
    "network error querying ": "lỗi mạng khi truy vấn ",
    "network error during the legacy handshake: could not tell": (
        "lỗi mạng trong lần bắt tay phiên bản cũ: không xác định được"),
    "network error: ": "lỗi mạng: ",
    "name does not resolve: ": "tên miền không phân giải được: ",
    "name does not exist (NXDOMAIN)": "tên miền không tồn tại (NXDOMAIN)",
    "name too long after DNAME substitution (YXDOMAIN)": (
        "tên quá dài sau khi thay thế DNAME (YXDOMAIN)"),
    "not an IP address: ": "không phải địa chỉ IP: ",
    "not an IPv6 address: ": "không phải địa chỉ IPv6: ",
    "invalid port ": "cổng không hợp lệ ",
    "internal error: ": "lỗi nội bộ: ",
    "not probed: the time limit of ": "không thăm dò: đã hết giới hạn thời gian ",
    "not probed: ": "không thăm dò: ",
    # TLS
    "not TLS: the server did not answer with TLS": "không phải TLS: máy chủ không trả lời bằng TLS",
    "TLS handshake failed: ": "bắt tay TLS thất bại: ",
    "verification handshake failed: ": "bắt tay xác minh thất bại: ",
    "server presented no certificate": "máy chủ không xuất trình chứng thư",
    "no handshake completed": "không hoàn tất được lần bắt tay nào",
    "the certificate was read from a certificate-only TLS 1.2 handshake": (
        "chứng thư được đọc từ một lần bắt tay TLS 1.2 chỉ để lấy chứng thư"),
    "the server closed the connection before its certificate": (
        "máy chủ đóng kết nối trước khi gửi chứng thư"),
    "the server refused every offer": "máy chủ từ chối mọi đề nghị",
    "the server sent no certificate": "máy chủ không gửi chứng thư",
    "no certificate within the first 256 KiB": "không có chứng thư trong 256 KiB đầu tiên",
    "malformed Certificate message": "thông điệp Certificate sai định dạng",
    "unexpected TLS record type ": "loại bản ghi TLS không mong đợi ",
    "local OpenSSL refused to offer ": "OpenSSL ở máy này từ chối đề nghị ",
    "local OpenSSL cannot offer ": "OpenSSL ở máy này không đề nghị được ",
    "legacy check not requested": "không yêu cầu kiểm tra phiên bản cũ",
    "legacy protocol versions not checked": "chưa kiểm tra các phiên bản giao thức cũ",
    "chain verification did not complete": "việc xác minh chuỗi chứng thư không hoàn tất",
    "issuer not trusted (unknown CA): ": "tổ chức cấp không được tin cậy (CA lạ): ",
    "hostname mismatch: certificate is not valid for ": (
        "sai tên máy: chứng thư không có hiệu lực cho "),
    "chain not available: needs Python 3.13+": "không đọc được chuỗi: cần Python 3.13 trở lên",
    "chain unparsable: ": "chuỗi không phân tích được: ",
    "the chain the server sent was not read": "chuỗi chứng thư máy chủ gửi không đọc được",
    "only the leaf's signature is known": "chỉ biết chữ ký của chứng thư lá",
    "not valid at the audit date: ": "không hợp lệ tại ngày đánh giá: ",
    "unreadable certificate": "chứng thư không đọc được",
    "trust not judged: ": "chưa đánh giá được độ tin cậy: ",
    "no CA bundle declared (tls_policy.ca_bundle)": (
        "chưa khai báo tệp CA tin cậy (tls_policy.ca_bundle)"),
    # revocation (OCSP staples and responders, CRLs: probes/revocation.py)
    "the server staples no OCSP response": "máy chủ không gửi kèm phản hồi OCSP",
    "the OCSP responder / CRL named in the certificate was not asked: run with --revocation": (
        "chưa hỏi máy chủ OCSP / CRL ghi trong chứng thư: chạy với --revocation"),
    "OCSP staple": "phản hồi OCSP gửi kèm",
    "the status request saw another certificate (serial ": (
        "lần yêu cầu trạng thái thấy một chứng thư khác (số hiệu "),
    "OCSP responder": "máy chủ OCSP",
    "CRL file ": "tệp CRL ",
    "stale: its nextUpdate ": "đã cũ: nextUpdate ",
    "the certificate is unknown to it": "không biết chứng thư này",
    "the responder answered '": "máy chủ OCSP trả lời '",
    "the signature verifies neither with the issuer's key nor a delegated responder's": (
        "chữ ký không khớp khóa của tổ chức cấp hay của máy chủ OCSP được ủy quyền"),
    "the responder's certificate was not issued by the certificate's issuer": (
        "chứng thư của máy chủ OCSP không do tổ chức cấp chứng thư này cấp"),
    "the responder's certificate lacks the id-kp-OCSPSigning key usage": (
        "chứng thư của máy chủ OCSP không có mục đích id-kp-OCSPSigning"),
    "the responder's certificate is not valid at the audit date": (
        "chứng thư của máy chủ OCSP không hợp lệ tại ngày đánh giá"),
    "the response does not name this certificate": "phản hồi không nói về chứng thư này",
    "the CRL was not issued by the certificate's issuer": (
        "CRL không do tổ chức cấp chứng thư này phát hành"),
    "the CRL's signature does not verify with the issuer's key": (
        "chữ ký của CRL không khớp khóa của tổ chức cấp"),
    "not a CRL (DER or PEM): ": "không phải CRL (DER hoặc PEM): ",
    "not an OCSP response: ": "không phải phản hồi OCSP: ",
    "unreadable OCSP response: ": "phản hồi OCSP không đọc được: ",
    "not followed: only http:// URLs are asked": "không truy cập: chỉ hỏi các URL http://",
    "answer larger than ": "câu trả lời lớn hơn ",
    "the certificate names no OCSP responder and no CRL distribution point (http://)": (
        "chứng thư không ghi máy chủ OCSP hay điểm phân phối CRL (http://)"),
    "the certificate's issuer is neither in the chain the server sent nor in the CA bundle": (
        "tổ chức cấp chứng thư không có trong chuỗi máy chủ gửi hay trong tệp CA"),
    "no OCSP answer or CRL can be checked without it": (
        "không kiểm tra được phản hồi OCSP hay CRL nếu thiếu nó"),
    "timed out during the status request": "hết thời gian chờ khi yêu cầu trạng thái chứng thư",
    "connection refused during the status request": (
        "kết nối bị từ chối khi yêu cầu trạng thái chứng thư"),
    "timed out during the status-requesting handshake": (
        "hết thời gian chờ khi bắt tay yêu cầu trạng thái chứng thư"),
    "status-requesting handshake failed: ": "bắt tay yêu cầu trạng thái chứng thư thất bại: ",
    "no CRL file the inventory declares (tls_policy.crl_files) is from this certificate's "
    "issuer": "không có tệp CRL nào khai báo (tls_policy.crl_files) của tổ chức cấp chứng thư này",
    "not read: the CRL file is outside the inventory's folder tree (after following symbolic "
    "links); pass --allow-cert-path DIR to read it there": (
        "không đọc: tệp CRL nằm ngoài cây thư mục của danh mục kiểm kê (sau khi theo liên kết "
        "tượng trưng); dùng --allow-cert-path DIR để đọc ở đó"),
    # certificate files
    "no certificate in the file": "không có chứng thư trong tệp",
    "not a certificate: neither PEM, DER, PKCS#7 nor PKCS#12": (
        "không phải chứng thư: không phải PEM, DER, PKCS#7 hay PKCS#12"),
    "not a certificate: unreadable PKCS#7 data": (
        "không phải chứng thư: dữ liệu PKCS#7 không đọc được"),
    "PEM without a CERTIFICATE block": "PEM không có khối CERTIFICATE",
    "it holds a private key only": "tệp chỉ chứa khóa bí mật",
    "not found": "không tìm thấy",
    "is a directory, not a certificate file": "là thư mục, không phải tệp chứng thư",
    "permission denied": "không có quyền truy cập",
    "cannot open: ": "không mở được: ",
    "cannot read: ": "không đọc được: ",
    "not a regular file (a FIFO, device or socket)": (
        "không phải tệp thông thường (FIFO, thiết bị hoặc socket)"),
    "too large: more than ": "quá lớn: hơn ",
    "too large: ": "quá lớn: ",
    "keyUsage has neither digitalSignature nor nonRepudiation": (
        "keyUsage không có digitalSignature hay nonRepudiation"),
    "no keyUsage extension: not evidence of a signing certificate": (
        "không có phần mở rộng keyUsage: không chứng minh được là chứng thư ký số"),
    # DNS and IPv6
    "no usable name server": "không có máy chủ tên miền dùng được",
    "no name server answered via ": "không máy chủ tên miền nào trả lời qua ",
    "no enclosing zone with NS records": "không tìm thấy vùng chứa có bản ghi NS",
    "malformed response from ": "phản hồi sai định dạng từ ",
    "system resolver unusable: ": "không dùng được bộ phân giải của hệ thống: ",
    "invalid DNS name ": "tên DNS không hợp lệ ",
    "no usable AAAA record": "không có bản ghi AAAA dùng được",
    "no name server has an IPv6 address to try": (
        "không máy chủ tên miền nào có địa chỉ IPv6 để thử"),
    "no IPv6 address to connect to": "không có địa chỉ IPv6 để kết nối",
    "no trust anchor covers ": "không có neo tin cậy (trust anchor) nào bao trùm ",
    "CNAME loop: ": "vòng lặp CNAME: ",
    "via ": "qua ",  # "(via a. CNAME b.)": the aliases followed before a DNS failure
    "too many CNAMEs (more than ": "quá nhiều CNAME (hơn ",
    "redirected by the DNAME at ": "bị chuyển hướng bởi DNAME tại ",
    "DNAME is not followed by this validator": "bộ xác thực này không theo DNAME",
    "not validated: the trust anchor file the inventory names (dns_policy.trust_anchor) is "
    "outside the inventory's folder tree (after following symbolic links); pass "
    "--allow-cert-path DIR to read it there": (
        "không xác thực: tệp neo tin cậy danh mục kiểm kê khai báo (dns_policy.trust_anchor) "
        "nằm ngoài cây thư mục của danh mục kiểm kê (sau khi theo liên kết tượng trưng); dùng "
        "--allow-cert-path DIR để cho phép đọc ở đó"),
    # HTTP
    "invalid URL: ": "URL không hợp lệ: ",
    "unsupported URL scheme: ": "lược đồ URL không được hỗ trợ: ",
    "invalid host name in URL: ": "tên máy trong URL không hợp lệ: ",
    "not an http:// URL: ": "không phải URL http://: ",
    "not HTTP: the answer does not start with an HTTP status line": (
        "không phải HTTP: câu trả lời không bắt đầu bằng dòng trạng thái HTTP"),
    "not HTTP: malformed status line": "không phải HTTP: dòng trạng thái sai định dạng",
    "malformed response: ": "phản hồi sai định dạng: ",
    "incomplete response: ": "phản hồi không đầy đủ: ",
    "no answer to plain HTTP": "không có trả lời qua HTTP thường",
    "one side did not answer": "một phía không trả lời",
    "not comparable: the ": "không so sánh được: lần tải ",
    # nmap-fed certificate facts
    "nmap ssl-cert gave no validity dates": "nmap ssl-cert không cho biết thời hạn hiệu lực",
    "not scanned: ": "không quét: ",
    "closed or filtered": "đóng hoặc bị lọc",
}
_ORDERED = sorted(_PHRASES.items(), key=lambda pair: -len(pair[0]))
#: Where a reason, or a part of one, may begin.
_STARTS = re.compile(r"(?:^|: |; |, | \()")


def reason_in(reason: str, lang: str) -> str:
    """`reason` as the page's language writes it (module docstring); English unchanged."""
    if lang != "vi" or not reason:
        return reason
    out: list[str] = []
    position = 0
    for start in _STARTS.finditer(reason):
        at = start.end()
        if at < position:
            continue
        phrase = next(((en, vi) for en, vi in _ORDERED if reason.startswith(en, at)), None)
        if phrase is None:
            continue
        out.append(reason[position:at])
        out.append(phrase[1])
        position = at + len(phrase[0])
    out.append(reason[position:])
    return "".join(out)
