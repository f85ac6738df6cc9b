// Private to connection.cc and listener.cc: the Asio state of one Connection.
#pragma once
#include <boost/asio.hpp>

#include "cluster-ref/net/connection.h"

namespace cairn {

struct Connection::Impl {
  boost::asio::io_context context{1};
  boost::asio::ip::tcp::socket socket{context};
  bool done = false;
  boost::system::error_code error;

  void start() {
    done = false;
    error.clear();
  }
  void finish(const boost::system::error_code& e) {
    done = true;
    error = e;
  }
  Status run(Millis timeout, const char* what, const std::string& peer);
};

}  // namespace cairn
