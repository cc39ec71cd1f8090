-- wrk script of the HTTP bench (bench/http/driver.py runs it; bench/README.md explains it).
-- BENCH_MODE picks the requests:
--   hello, one, insert      the baseline app: JSON without a database, one SELECT, one INSERT
--   healthz                 GET /healthz without cookies, as a load balancer asks
--   near, near_radius       GET /api/centres/?day=D (and &radius=R) as a random person
--   near_html, seat_map     GET /centres/?day=D, GET /centres/<random centre>/?day=D
--   book_any, book_seat     POST /api/bookings/ on a random day: any seat of a random centre,
--                           or a random seat
--   hot_spot                POST /api/bookings/ any seat of the hot centre on day D
-- BENCH_DATA is the folder of clients.py's files, BENCH_DAY is D, BENCH_RADIUS is R.
-- done() prints one line, "BENCH {json}", with the rate, latencies and the answers' statuses.
local mode = os.getenv("BENCH_MODE")
local folder = os.getenv("BENCH_DATA") or "."
local day = os.getenv("BENCH_DAY") or ""
local radius = os.getenv("BENCH_RADIUS") or "20"

local people, centres, seats, days = {}, {}, {}, {}
local meta = {}
local sent = 0
local all_threads = {}
statuses = {}

local function lines(name)
  local found = {}
  local file = assert(io.open(folder .. "/" .. name, "r"), "cannot read " .. name)
  for line in file:lines() do
    if line ~= "" then
      local cells = {}
      for cell in line:gmatch("[^\t]+") do cells[#cells + 1] = cell end
      found[#found + 1] = cells
    end
  end
  file:close()
  return found
end

function setup(thread)
  all_threads[#all_threads + 1] = thread
  thread:set("number", #all_threads)
end

function init(args)
  math.randomseed(os.time() + 1000 * (number or 0))
  if mode == "hello" or mode == "one" or mode == "insert" or mode == "healthz" then
    return
  end
  for _, row in ipairs(lines("people.tsv")) do
    people[#people + 1] = {
      cookie = "sessionid=" .. row[1] .. "; csrftoken=" .. row[2],
      token = row[3],
    }
  end
  for _, row in ipairs(lines("centres.txt")) do centres[#centres + 1] = row[1] end
  for _, row in ipairs(lines("days.txt")) do days[#days + 1] = row[1] end
  if mode == "book_seat" then seats = lines("seats.tsv") end
  meta.hot = os.getenv("BENCH_HOT_CENTRE")
end

local function any(list)
  return list[math.random(#list)]
end

local function page(path, person, accept)
  return wrk.format("GET", path, { Cookie = person.cookie, Accept = accept })
end

local function booking(person, body)
  sent = sent + 1
  return wrk.format("POST", "/api/bookings/", {
    Cookie = person.cookie,
    ["X-CSRFToken"] = person.token,
    ["Content-Type"] = "application/json",
    Accept = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", number or 0, os.time(), sent),
  }, body)
end

function request()
  if mode == "hello" then return wrk.format("GET", "/hello") end
  if mode == "one" then return wrk.format("GET", "/one") end
  if mode == "insert" then return wrk.format("POST", "/insert") end
  if mode == "healthz" then return wrk.format("GET", "/healthz") end
  local person = any(people)
  if mode == "near" then
    return page("/api/centres/?day=" .. day, person, "application/json")
  elseif mode == "near_radius" then
    return page("/api/centres/?day=" .. day .. "&radius=" .. radius, person, "application/json")
  elseif mode == "near_html" then
    return page("/centres/?day=" .. day, person, "text/html")
  elseif mode == "seat_map" then
    return page("/centres/" .. any(centres) .. "/?day=" .. day, person, "text/html")
  elseif mode == "book_any" then
    return booking(person, string.format('{"centre": "%s", "day": "%s"}', any(centres), any(days)))
  elseif mode == "book_seat" then
    local seat = any(seats)
    return booking(person, string.format('{"centre": "%s", "day": "%s", "seat": %s}',
      seat[1], any(days), seat[2]))
  elseif mode == "hot_spot" then
    return booking(person, string.format('{"centre": "%s", "day": "%s"}', meta.hot, day))
  end
  error("unknown BENCH_MODE " .. tostring(mode))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(all_threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do parts[#parts + 1] = string.format('"%d": %d', status, n) end
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "socket_errors": %d, "timeouts": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.connect + errors.read + errors.write, errors.timeout, table.concat(parts, ", ")))
end
